namespace CloudArchive.Cli.Commands.Status;

/// <summary>A snapshot of the archive's storage: what is where, what is waiting, what went wrong last.</summary>
internal sealed record ArchiveStatus(
    FunctionAppHealth FunctionApp,
    IReadOnlyList<ContainerCount> Containers,
    IReadOnlyList<QueueDepth> Queues,
    IReadOnlyList<QuarantineRow> RecentQuarantine,
    DateTimeOffset? LastAuditWrite,
    IReadOnlyList<StatusFinding>? Findings = null)
{
    /// <summary>
    /// A poison queue holds messages, the function app is down, or an open finding (e.g. <c>fixity-failed</c>) exists:
    /// someone should look (exit code 1).
    /// </summary>
    public bool NeedsAttention => FunctionApp.IsDown || Queues.Any(q => q.Exists && q.Messages > 0 && q.Name.EndsWith("-poison", StringComparison.Ordinal)) || Findings is { Count: > 0 };
}

/// <summary>Blobs in a container (<see cref="Exists"/> false when the container is missing).</summary>
internal sealed record ContainerCount(string Role, string Name, bool Exists, long Blobs, long Bytes);

/// <summary>Approximate message count of a queue (<see cref="Exists"/> false when the queue is missing).</summary>
internal sealed record QueueDepth(string Name, bool Exists, long Messages);

/// <summary>One quarantined upload as status shows it: its opaque id, reason code and message, and when (never its upload name).</summary>
internal sealed record QuarantineRow(string Id, string Reason, string Message, DateTimeOffset? Time, bool Retried)
{
    /// <summary>Age in whole hours at <paramref name="now"/>, or null without a time.</summary>
    public long? AgeHours(DateTimeOffset now) => Time is { } t ? (long)Math.Max(0, (now - t).TotalHours) : null;

    /// <summary>Age as a short text (<c>3d 4h</c>, <c>5h</c>).</summary>
    public string AgeText(DateTimeOffset now) => AgeHours(now) is { } h ? (h >= 24 ? $"{h / 24}d {h % 24}h" : $"{h}h") : "-";
}

/// <summary>An open finding a person must resolve: its kind (<c>fixity-failed</c>), what it concerns (an opaque archive blob name), its problem code and when it was found.</summary>
internal sealed record StatusFinding(string Kind, string Subject, string Problem, DateTimeOffset DetectedAt);
