namespace CloudArchive.Research.Consent;

/// <summary>FHIR R4 Consent.status (consent-state-codes). Only <see cref="Active"/> permits an export.</summary>
public enum ConsentStatus
{
    /// <summary>draft: not yet agreed.</summary>
    Draft,

    /// <summary>proposed: offered, not yet answered.</summary>
    Proposed,

    /// <summary>active: in force.</summary>
    Active,

    /// <summary>rejected: the patient declined.</summary>
    Rejected,

    /// <summary>inactive: withdrawn or replaced (how a revocation is recorded).</summary>
    Inactive,

    /// <summary>entered-in-error: never valid.</summary>
    EnteredInError,
}
