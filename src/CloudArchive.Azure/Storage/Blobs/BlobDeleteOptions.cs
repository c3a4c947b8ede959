namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>What a delete removes and under which conditions.</summary>
public sealed class BlobDeleteOptions
{
    /// <summary>Also delete the blob's snapshots (<c>x-ms-delete-snapshots: include</c>). Without it a blob with snapshots is a 409.</summary>
    public bool IncludeSnapshots { get; init; }

    /// <summary>Delete only this version (<c>versionid=</c>); Azurite does not support versions.</summary>
    public string? VersionId { get; init; }

    /// <summary>Delete only this snapshot (<c>snapshot=</c>).</summary>
    public string? Snapshot { get; init; }

    /// <summary>Conditions (ETag, lease).</summary>
    public BlobRequestConditions? Conditions { get; init; }
}
