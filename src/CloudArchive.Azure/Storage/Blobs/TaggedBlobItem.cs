namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>A blob found by Find Blobs by Tags.</summary>
/// <param name="ContainerName">The container holding it.</param>
/// <param name="Name">The blob name.</param>
/// <param name="Tags">The tags that matched (the service returns those named in the expression).</param>
public sealed record TaggedBlobItem(string ContainerName, string Name, IReadOnlyDictionary<string, string> Tags);
