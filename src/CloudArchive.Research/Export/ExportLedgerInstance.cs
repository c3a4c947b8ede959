namespace CloudArchive.Research.Export;

/// <summary>One released instance in an <see cref="ExportLedgerEntry"/>.</summary>
public sealed record ExportLedgerInstance
{
    /// <summary>The archive's opaque instance key.</summary>
    public required string InstanceKey { get; init; }

    /// <summary>The version of the index record it was exported from (<see cref="ArchiveIndexEntry.Version"/>).</summary>
    public string? SourceVersion { get; init; }

    /// <summary>De-identified Series Instance UID.</summary>
    public required string SeriesUid { get; init; }

    /// <summary>De-identified SOP Instance UID.</summary>
    public required string InstanceUid { get; init; }

    /// <summary>The research blob (<see cref="Publication.ResearchNames.Instance"/>).</summary>
    public required string BlobName { get; init; }

    /// <summary>Size of the research blob in bytes.</summary>
    public required long Bytes { get; init; }
}
