namespace CloudArchive.Core.Audit;

/// <summary>EventActionCode of the DICOM audit message / FHIR AuditEvent.action; serialized as its letter.</summary>
public enum AuditAction
{
    /// <summary>C: create.</summary>
    Create,

    /// <summary>R: read / view / print.</summary>
    Read,

    /// <summary>U: update.</summary>
    Update,

    /// <summary>D: delete.</summary>
    Delete,

    /// <summary>E: execute (e.g. a query or a job).</summary>
    Execute,
}
