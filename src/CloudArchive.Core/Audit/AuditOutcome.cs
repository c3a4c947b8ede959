namespace CloudArchive.Core.Audit;

/// <summary>EventOutcomeIndicator of the DICOM audit message / FHIR AuditEvent.outcome; serialized as its number.</summary>
public enum AuditOutcome
{
    /// <summary>0: success.</summary>
    Success = 0,

    /// <summary>4: minor failure (e.g. the action was refused, nothing was harmed).</summary>
    MinorFailure = 4,

    /// <summary>8: serious failure (the action did not complete).</summary>
    SeriousFailure = 8,

    /// <summary>12: major failure (e.g. integrity or security compromised).</summary>
    MajorFailure = 12,
}
