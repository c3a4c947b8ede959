namespace CloudArchive.Core.Lifecycle;

/// <summary>One page of a tag query.</summary>
/// <param name="Instances">The instances on this page.</param>
/// <param name="ContinuationToken">Where the next page starts, or null after the last page.</param>
public sealed record ArchiveTagPage(IReadOnlyList<TaggedInstance> Instances, string? ContinuationToken);
