namespace CloudArchive.Core.Keys;

/// <summary>
/// The one derivation of the keyed pseudonym of an Accession Number (0008,0050), keyed by the index key: ingest writes it
/// to the <c>ca_accession</c> index tag and clinical QIDO-RS looks studies up by it. Both must call this, because any
/// drift (trimming, label) would silently make accession queries find nothing.
/// </summary>
public static class AccessionPseudonymizer
{
    private const string Label = "\0cloudarchive:accession:v1\0";

    /// <summary>
    /// The pseudonym (26 lowercase base32 characters) of <paramref name="accessionNumber"/>, or null when there is none.
    /// Leading/trailing spaces and NULs (DICOM padding) are ignored.
    /// </summary>
    /// <param name="namer">The index-key namer (<see cref="Keyring.GetIndexKeyNamerAsync"/>).</param>
    /// <param name="accessionNumber">The Accession Number.</param>
    public static string? Pseudonym(OpaqueKeyNamer namer, string? accessionNumber)
    {
        ArgumentNullException.ThrowIfNull(namer);
        var value = accessionNumber?.Trim('\0', ' ');
        return string.IsNullOrEmpty(value) ? null : namer.NameFor(Label + value);
    }
}
