namespace CloudArchive.Core.Audit.Seals;

/// <summary>When hours are sealed and when a missing seal is reported.</summary>
public sealed record AuditSealOptions
{
    /// <summary>How long after an hour ends before it is sealed, for writers whose appends were in flight at the
    /// hour's end (an append carries the time it was prepared). Default 5 minutes.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How much later than due a seal may be before verification reports it missing (covers the hourly
    /// timer's period and a failed run). Default 2 hours.</summary>
    public TimeSpan MissingAfter { get; init; } = TimeSpan.FromHours(2);

    /// <summary>The most hours one sweep seals (a first run over an old archive continues on the next run). Default 168.</summary>
    public int MaxHoursPerRun { get; init; } = 168;

    /// <summary>True when <paramref name="hour"/> is closed and past its grace period at <paramref name="now"/>.</summary>
    public bool IsDue(DateTimeOffset hour, DateTimeOffset now) => hour.AddHours(1) + Grace <= now;

    /// <summary>True when a seal of <paramref name="hour"/> should exist by <paramref name="now"/>.</summary>
    public bool IsOverdue(DateTimeOffset hour, DateTimeOffset now) => hour.AddHours(1) + Grace + MissingAfter <= now;
}
