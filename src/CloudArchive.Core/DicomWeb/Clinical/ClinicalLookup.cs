namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// The keyed attributes of a clinical query, the only ones that can select instances without a scan: each is turned
/// into an opaque key (HMAC under the index key) and looked up by tag or name. Every other matching attribute filters
/// what these select. Lists mean "any of" (PS3.18 UID list matching); values are exact (no wildcards).
/// </summary>
public sealed record ClinicalLookup
{
    /// <summary>StudyInstanceUID values (from the path or the query).</summary>
    public IReadOnlyList<string> StudyInstanceUids { get; init; } = [];

    /// <summary>SeriesInstanceUID values.</summary>
    public IReadOnlyList<string> SeriesInstanceUids { get; init; } = [];

    /// <summary>AccessionNumber values.</summary>
    public IReadOnlyList<string> AccessionNumbers { get; init; } = [];

    /// <summary>PatientID values.</summary>
    public IReadOnlyList<string> PatientIds { get; init; } = [];

    /// <summary>IssuerOfPatientID, when the query gives one (the patient pseudonym is per issuer).</summary>
    public string? IssuerOfPatientId { get; init; }

    /// <summary>True when no keyed attribute is given: such a query would have to scan the archive and is refused.</summary>
    public bool IsEmpty => StudyInstanceUids.Count == 0 && SeriesInstanceUids.Count == 0 && AccessionNumbers.Count == 0 && PatientIds.Count == 0;
}
