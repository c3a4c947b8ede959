namespace CloudArchive.Research.Publication;

/// <summary>A blob listed in the <c>research</c> container.</summary>
/// <param name="Name">Blob name (see <see cref="ResearchNames"/>).</param>
/// <param name="Length">Size in bytes.</param>
public sealed record ResearchBlobInfo(string Name, long Length);
