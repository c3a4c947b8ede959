namespace CloudArchive.Core.Lifecycle.Holds;

/// <summary>
/// A legal hold (<c>control/holds/{id}.json</c>): while active, nothing it covers is deleted, swept, erased or shredded.
/// The target is an opaque key (study key or patient pseudonym); the case id is a short code; the reasons are the
/// operators' words, kept here (in <c>control</c>) and never in logs or audit lines.
/// </summary>
public sealed record LegalHold
{
    /// <summary>The hold id (<c>hold-yyyyMMdd-xxxxxxxx</c>).</summary>
    public required string Id { get; init; }

    /// <summary>What it covers.</summary>
    public required LegalHoldScope Scope { get; init; }

    /// <summary>The study key or patient pseudonym.</summary>
    public required string Target { get; init; }

    /// <summary>The legal case (a code such as <c>CASE-2026-017</c>).</summary>
    public required string Case { get; init; }

    /// <summary>Why it was placed.</summary>
    public required string Reason { get; init; }

    /// <summary>Who placed it (audit actor id).</summary>
    public required string PlacedBy { get; init; }

    /// <summary>When it was placed.</summary>
    public required DateTimeOffset PlacedAt { get; init; }

    /// <summary>Who released it, once released.</summary>
    public string? ReleasedBy { get; init; }

    /// <summary>When it was released, once released.</summary>
    public DateTimeOffset? ReleasedAt { get; init; }

    /// <summary>Why it was released (required to release).</summary>
    public string? ReleaseReason { get; init; }

    /// <summary>True until released.</summary>
    public bool IsActive => ReleasedAt is null;
}
