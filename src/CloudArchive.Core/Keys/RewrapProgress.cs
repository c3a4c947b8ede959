namespace CloudArchive.Core.Keys;

/// <summary>Running totals of a rewrap pass.</summary>
/// <param name="Scanned">Entries examined.</param>
/// <param name="Rewrapped">Entries re-wrapped under the current KEK version.</param>
/// <param name="AlreadyCurrent">Entries skipped because they were already wrapped by the current version.</param>
/// <param name="Vanished">Entries deleted (shredded) while the pass ran.</param>
/// <param name="Failed">Entries that could not be re-wrapped (listed in the result).</param>
public sealed record RewrapProgress(long Scanned, long Rewrapped, long AlreadyCurrent, long Vanished, long Failed)
{
    /// <summary>
    /// A token that resumes at the start of the page being processed (null: the beginning). Persist it to resume after
    /// a crash; re-processing a page is harmless because rewrap is idempotent.
    /// </summary>
    public string? ResumeToken { get; init; }
}
