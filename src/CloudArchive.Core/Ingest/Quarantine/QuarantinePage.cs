namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>One page of quarantine ids; <see cref="ContinuationToken"/> is null on the last page.</summary>
/// <param name="Ids">Distinct ids on this page (an id may appear again on a later page; callers are idempotent).</param>
/// <param name="ContinuationToken">Where the next page starts, or null.</param>
public sealed record QuarantinePage(IReadOnlyList<string> Ids, string? ContinuationToken);
