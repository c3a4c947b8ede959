namespace CloudArchive.Azure.Keys;

/// <summary>Options for <see cref="BlobKeyringStore"/>.</summary>
public sealed class BlobKeyringStoreOptions
{
    /// <summary>The keyring container name (<c>keyring</c> by default).</summary>
    public string ContainerName { get; init; } = "keyring";

    /// <summary>
    /// Whether shredding also enumerates and deletes previous blob versions (<c>include=versions</c>). Null follows the
    /// connection: on for Azure, off for Azurite, which does not implement versions.
    /// </summary>
    public bool? DeleteVersions { get; init; }
}
