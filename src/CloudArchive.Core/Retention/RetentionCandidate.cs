namespace CloudArchive.Core.Retention;

/// <summary>The deadline one applicable rule gives.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="RetainUntil">Keep at least until the end of this date (UTC).</param>
public sealed record RetentionCandidate(RetentionRule Rule, DateOnly RetainUntil);
