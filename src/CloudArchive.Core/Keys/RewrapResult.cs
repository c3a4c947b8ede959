namespace CloudArchive.Core.Keys;

/// <summary>Outcome of a rewrap pass.</summary>
/// <param name="Totals">Counts.</param>
/// <param name="CurrentKekKeyId">The versioned KEK id entries are now wrapped with.</param>
/// <param name="ContinuationToken">Resume token when the pass stopped early (<see cref="RewrapOptions.MaxPages"/>); null when complete.</param>
/// <param name="FailedEntries">Names of entries that failed, with a secret-free reason.</param>
public sealed record RewrapResult(RewrapProgress Totals, string CurrentKekKeyId, string? ContinuationToken, IReadOnlyList<(string Entry, string Reason)> FailedEntries)
{
    /// <summary>True when every entry is now wrapped by the current KEK version.</summary>
    public bool Complete => ContinuationToken is null && FailedEntries.Count == 0;
}
