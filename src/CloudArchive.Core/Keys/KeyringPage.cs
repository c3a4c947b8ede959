namespace CloudArchive.Core.Keys;

/// <summary>One page of entry names.</summary>
/// <param name="Names">Entry names in this page.</param>
/// <param name="ContinuationToken">Token for the next page, or null at the end.</param>
public sealed record KeyringPage(IReadOnlyList<string> Names, string? ContinuationToken);
