namespace CloudArchive.Core.Archive;

/// <summary>
/// The encrypted index record of one archived instance: the attributes later needed to select studies for research
/// without decrypting instances. Stored encrypted under the study key, so it may hold dates and codes.
/// </summary>
public sealed record InstanceIndexRecord
{
    /// <summary>Format id.</summary>
    public string Schema { get; init; } = "cloudarchive/instance-index/v1";

    /// <summary>Opaque study key.</summary>
    public required string StudyKey { get; init; }

    /// <summary>Opaque series key.</summary>
    public required string SeriesKey { get; init; }

    /// <summary>Opaque instance key.</summary>
    public required string InstanceKey { get; init; }

    /// <summary>Patient pseudonym, null without PatientID.</summary>
    public string? PatientPseudonym { get; init; }

    /// <summary>StudyDate as <c>yyyy-MM-dd</c>, null when absent or invalid.</summary>
    public string? StudyDate { get; init; }

    /// <summary>Modality code.</summary>
    public string? Modality { get; init; }

    /// <summary>Body Part Examined code.</summary>
    public string? BodyPart { get; init; }

    /// <summary>SOP Class UID.</summary>
    public required string SopClassUid { get; init; }

    /// <summary>Transfer Syntax UID.</summary>
    public required string TransferSyntaxUid { get; init; }

    /// <summary>Bytes received.</summary>
    public required long UploadLength { get; init; }

    /// <summary>Bytes of archived plaintext.</summary>
    public required long ArchivedLength { get; init; }

    /// <summary>Minimization policy applied.</summary>
    public required string MinimizationPolicy { get; init; }

    /// <summary>Tag paths removed by minimization (never values).</summary>
    public required IReadOnlyList<string> RemovedPaths { get; init; }

    /// <summary>Keep at least until the end of this date (<c>yyyy-MM-dd</c>).</summary>
    public required string RetainUntil { get; init; }

    /// <summary>The retention rule that decided.</summary>
    public required string RetentionRule { get; init; }

    /// <summary>One-line explanation of the retention decision (rule and formula, no patient dates).</summary>
    public required string RetentionExplanation { get; init; }

    /// <summary>When the instance was ingested.</summary>
    public required DateTimeOffset IngestedAt { get; init; }

    /// <summary>The invocation that archived it.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>
    /// The attributes clinical QIDO-RS matches and returns (<see cref="IndexedAttributes"/>): tag (8 hex digits) →
    /// DICOM text; null in records written before they were indexed.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>
    /// File Meta fields rebuilt from the data set because the upload's meta disagreed (<see cref="Ingest.MetaRepairs"/>
    /// codes); null when the meta was consistent.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? MetaRepairs { get; init; }
}
