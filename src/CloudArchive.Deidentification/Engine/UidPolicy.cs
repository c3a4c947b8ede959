using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// Which UID values are never replaced: anything in the DICOM registry (root <c>1.2.840.10008.</c>: SOP classes,
/// transfer syntaxes, well-known frames of reference, coding scheme and context group UIDs the standard defines),
/// and the values of attributes that name a class or a syntax rather than an instance (SOP Class UID, Referenced SOP
/// Class UID, Transfer Syntax UID, Coding Scheme UID, Mapping Resource UID, ...) when no Table E.1-1 row says otherwise.
/// </summary>
internal static class UidPolicy
{
    private const string RegistryRoot = "1.2.840.10008.";

    private static readonly HashSet<uint> StructuralTags =
    [
        DicomTags.CodingSchemeUID.Value,
        DicomTags.ContextGroupExtensionCreatorUID.Value,
        DicomTags.MappingResourceUID.Value,
        DicomTags.SOPClassesInStudy.Value,
        DicomTags.RelatedGeneralSOPClassUID.Value,
        DicomTags.OriginalSpecializedSOPClassUID.Value,
        DicomTags.ReferencedSOPClassUIDInFile.Value,
        DicomTags.ReferencedTransferSyntaxUIDInFile.Value,
        DicomTags.ReferencedRelatedGeneralSOPClassUIDInFile.Value,
    ];

    /// <summary>True when the UID value belongs to the DICOM registry.</summary>
    public static bool IsRegistryUid(string uid) => uid.StartsWith(RegistryRoot, StringComparison.Ordinal) || uid == "1.2.840.10008";

    /// <summary>True when the attribute names a class or syntax (kept unless a table row says U).</summary>
    public static bool IsStructuralAttribute(DicomTag tag)
    {
        if (StructuralTags.Contains(tag.Value))
        {
            return true;
        }

        var keyword = DicomDictionary.GetKeyword(tag);
        return keyword is not null
            && (keyword.EndsWith("ClassUID", StringComparison.Ordinal)
                || keyword.EndsWith("SyntaxUID", StringComparison.Ordinal)
                || keyword.EndsWith("ClassUIDInFile", StringComparison.Ordinal));
    }
}
