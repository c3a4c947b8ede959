using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>Reads of single values that must not throw on a malformed input: an unreadable value reads as null.</summary>
internal static class DatasetValues
{
    /// <summary>The values joined with a backslash, read with the effective VR; null when they cannot be decoded.</summary>
    public static string? SafeString(DicomDataset ds, DicomValueElement v)
    {
        try
        {
            return string.Join('\\', EffectiveVR.GetStrings(v, ds.CharacterSet));
        }
        catch (DicomValueException)
        {
            return null;
        }
    }

    /// <summary>The trimmed value of a short string attribute of <paramref name="ds"/>, or null (absent, empty, over
    /// 1 KiB or unreadable).</summary>
    public static string? TopString(DicomDataset ds, DicomTag tag) =>
        ds.Get(tag) is DicomValueElement v && v.Length is > 0 and < 1024 ? SafeString(ds, v)?.Trim() : null;

    /// <summary>The first US value of an attribute of <paramref name="ds"/>, or null when it has none.</summary>
    public static int? TopUShort(DicomDataset ds, DicomTag tag)
    {
        if (ds.Get(tag) is not DicomValueElement v || v.Length < 2)
        {
            return null;
        }

        return v.GetValues<ushort>()[0];
    }
}
