namespace CloudArchive.Core.Ingest;

/// <summary>Settings of the ingest service (configuration section <c>CloudArchive:Ingest</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>Largest accepted upload in bytes (default 4 GiB); larger uploads are quarantined unread.</summary>
    public long MaxInstanceBytes { get; set; } = 4L << 30;

    /// <summary>
    /// SOP Class UIDs accepted; null or empty accepts every well-formed SOP class. Others are quarantined with
    /// <see cref="QuarantineReason.SopClassNotAllowed"/>.
    /// </summary>
    public IReadOnlyCollection<string>? AllowedSopClasses { get; set; }

    /// <summary>ISO 3166 jurisdiction for retention rules (e.g. <c>GB-ENG</c>); null considers every jurisdiction.</summary>
    public string? Jurisdiction { get; set; }

    /// <summary>Directory for the temporary minimized rewrite (default: the system temp directory).</summary>
    public string? TempDirectory { get; set; }

    /// <summary>Largest inflated size of a deflated dataset (deflate-bomb guard), default 2 GiB.</summary>
    public long MaxInflatedBytes { get; set; } = 2L << 30;

    /// <summary>Largest accepted compression ratio of a deflated dataset, default 200.</summary>
    public int MaxDeflateRatio { get; set; } = 200;

    /// <summary>
    /// When the File Meta Information names another SOP Instance or Class UID than the data set, archive the instance
    /// with a file meta rebuilt from the data set (and record the repair) instead of quarantining it. Default true.
    /// </summary>
    public bool RepairFileMeta { get; set; } = true;

    /// <summary>Days a quarantine copy is kept before the retention sweep deletes it (default 30).</summary>
    public int QuarantineRetentionDays { get; set; } = Quarantine.QuarantineWriter.DefaultRetentionDays;

    /// <summary>The audit actor id of the ingest service.</summary>
    public string AuditActorId { get; set; } = "svc:cloudarchive-ingest";

    /// <summary>
    /// Plaintext bytes per encryption region (CSE v2.1 default 4 MiB). Not configurable in the app; tests lower it to
    /// exercise multi-region verification with small instances.
    /// </summary>
    internal int EncryptionRegionLength { get; set; } = Crypto.CseFormat.DefaultRegionLength;
}
