namespace CloudArchive.Core.Keys;

/// <summary>
/// The one derivation of a patient pseudonym from a Patient ID within its issuer (DICOM (0010,0020) and (0010,0021)),
/// keyed by the index key. Ingest writes it to <c>ca_patient</c> and the instance index; the consent registry keys its
/// records by it. Both must call this, because any drift (trimming, separator, label) would silently detach consents
/// from the studies they govern.
/// </summary>
public static class PatientPseudonymizer
{
    private const string Label = "\0cloudarchive:patient:v1\0";

    /// <summary>
    /// The pseudonym (26 lowercase base32 characters) of <paramref name="patientId"/> within <paramref name="issuer"/>,
    /// or null when there is no patient id. Leading/trailing spaces and NULs (DICOM padding) are ignored on both.
    /// </summary>
    /// <param name="namer">The index-key namer (<see cref="Keyring.GetIndexKeyNamerAsync"/>).</param>
    /// <param name="patientId">The Patient ID.</param>
    /// <param name="issuer">The Issuer of Patient ID, or null/empty when none.</param>
    public static string? Pseudonym(OpaqueKeyNamer namer, string? patientId, string? issuer)
    {
        ArgumentNullException.ThrowIfNull(namer);
        var id = patientId?.Trim('\0', ' ');
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        return namer.NameFor(Label + (issuer?.Trim('\0', ' ') ?? string.Empty) + "\0" + id);
    }
}
