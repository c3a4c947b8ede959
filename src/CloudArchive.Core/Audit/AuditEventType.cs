namespace CloudArchive.Core.Audit;

/// <summary>DICOM audit event IDs (PS3.15 A.5, DCM code system) used by the archive.</summary>
public enum AuditEventType
{
    /// <summary>110100 Application Activity (start/stop, configuration).</summary>
    ApplicationActivity = 110100,

    /// <summary>110101 Audit Log Used (verify, query).</summary>
    AuditLogUsed = 110101,

    /// <summary>110103 DICOM Instances Accessed (create/read/update/delete of stored instances).</summary>
    InstancesAccessed = 110103,

    /// <summary>110104 DICOM Instances Transferred.</summary>
    InstancesTransferred = 110104,

    /// <summary>110105 DICOM Study Deleted (retention sweep, crypto-shredding).</summary>
    StudyDeleted = 110105,

    /// <summary>110106 Export (research copies).</summary>
    Export = 110106,

    /// <summary>110107 Import (ingest).</summary>
    Import = 110107,

    /// <summary>110112 Query.</summary>
    Query = 110112,

    /// <summary>110113 Security Alert (denials, tampering, anomalies).</summary>
    SecurityAlert = 110113,

    /// <summary>110114 User Authentication.</summary>
    UserAuthentication = 110114,
}
