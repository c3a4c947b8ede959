namespace CloudArchive.Functions.Composition;

/// <summary>Container names used by ingest (ARCHITECTURE §3).</summary>
public sealed class IngestContainers
{
    /// <summary>Uploads.</summary>
    public required string Incoming { get; init; }

    /// <summary>Encrypted instances and index records.</summary>
    public required string Archive { get; init; }

    /// <summary>Rejected uploads with reason files.</summary>
    public required string Quarantine { get; init; }

    /// <summary>Wrapped keys.</summary>
    public required string Keyring { get; init; }

    /// <summary>Audit log.</summary>
    public required string Audit { get; init; }

    /// <summary>All names.</summary>
    public IEnumerable<string> All => [Incoming, Archive, Quarantine, Keyring, Audit];
}
