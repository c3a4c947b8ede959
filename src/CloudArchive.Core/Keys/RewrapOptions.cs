namespace CloudArchive.Core.Keys;

/// <summary>Options for <see cref="Keyring.RewrapAsync"/>.</summary>
public sealed class RewrapOptions
{
    /// <summary>Entries listed per page.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Resume from this token (from a previous <see cref="RewrapResult.ContinuationToken"/>); null starts at the beginning.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>Stop after this many pages (null: run to the end). The result's token resumes where it stopped.</summary>
    public int? MaxPages { get; init; }

    /// <summary>Who runs the rewrap, for the audit record.</summary>
    public string? Actor { get; init; }

    /// <summary>Receives progress after each entry.</summary>
    public IProgress<RewrapProgress>? Progress { get; init; }
}
