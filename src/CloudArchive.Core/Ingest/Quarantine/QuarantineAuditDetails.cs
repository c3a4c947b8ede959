namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>Detail codes of the audit lines quarantine operations write (the id goes in <c>quarantine-id=</c>).</summary>
public static class QuarantineAuditDetails
{
    /// <summary>A quarantined upload was deleted by the lifecycle (shred, erasure, expiry); with <see cref="CausePrefix"/>.</summary>
    public const string Deleted = "quarantine-deleted";

    /// <summary>An operator listed the quarantine (110112).</summary>
    public const string Listed = "quarantine-listed";

    /// <summary>An operator decrypted a copy to read its header facts (110103).</summary>
    public const string Shown = "quarantine-shown";

    /// <summary>An operator sent a copy back to <c>incoming</c> (110104).</summary>
    public const string Retried = "quarantine-retried";

    /// <summary>An operator deleted a quarantined upload (110105); with <see cref="WhyPrefix"/>.</summary>
    public const string Released = "quarantine-released";

    /// <summary>A release was refused because of a legal hold (110113).</summary>
    public const string ReleaseRefused = "quarantine-release-refused";

    /// <summary>Prefix of the lifecycle's cause (<c>study-deleted</c>, <c>retention-expired</c>).</summary>
    public const string CausePrefix = "cause=";

    /// <summary>Prefix of the operator's reason code for a release.</summary>
    public const string WhyPrefix = "why=";
}
