using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>E.1.1 item 7: the File Meta Information and preamble are replaced with a description of the
/// de-identified instance (its SOP Class and, mapped, its SOP Instance).</summary>
internal static class FileMetaReplacement
{
    /// <summary>Replaces the meta group of <paramref name="file"/> after its dataset was de-identified.</summary>
    public static void Apply(DicomFile file, DeidSettings settings, KeyedMapper mapper)
    {
        var sopClass = (file.Dataset.Get(DicomTags.SOPClassUID) as DicomValueElement)?.GetString()
            ?? (file.FileMetaInformation.Get(DicomTags.MediaStorageSOPClassUID) as DicomValueElement)?.GetString();
        var sopInstance = (file.Dataset.Get(DicomTags.SOPInstanceUID) as DicomValueElement)?.GetString();
        if (sopInstance is null && file.FileMetaInformation.Get(DicomTags.MediaStorageSOPInstanceUID) is DicomValueElement metaUid)
        {
            var original = metaUid.GetString();
            sopInstance = settings.Options.Contains(DeidOption.RetainUids) || UidPolicy.IsRegistryUid(original) ? original : mapper.MapUid(original);
        }

        var meta = new DicomDataset();
        if (sopClass is not null)
        {
            meta.Set(DicomValueElement.FromStrings(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, [sopClass]));
        }

        if (sopInstance is not null)
        {
            meta.Set(DicomValueElement.FromStrings(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, [sopInstance]));
        }

        file.FileMetaInformation = meta;
        file.Preamble = null;
    }
}
