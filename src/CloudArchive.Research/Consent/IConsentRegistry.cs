namespace CloudArchive.Research.Consent;

/// <summary>
/// Storage port for the consent registry (<c>control/consents/{patientPseudonym}.json</c>, one current record per
/// patient; earlier versions are kept by blob versioning and every change is audited by the caller).
/// </summary>
public interface IConsentRegistry
{
    /// <summary>The patient's current consent record, or null when none was ever recorded.</summary>
    Task<ConsentRecord?> GetAsync(string patientPseudonym, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the patient's record.</summary>
    Task PutAsync(ConsentRecord record, CancellationToken cancellationToken);

    /// <summary>Lists every current record.</summary>
    IAsyncEnumerable<ConsentRecord> ListAsync(CancellationToken cancellationToken);
}
