using CloudArchive.Cli.Commands.Status;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>What became of the demo's uploads: counts from the audit log's import events, reasons from quarantine.</summary>
internal sealed record DemoSummary(
    int Uploaded,
    int Archived,
    int Duplicates,
    int Quarantined,
    int StillInIncoming,
    long PoisonMessages,
    IReadOnlyList<QuarantineRow> QuarantineReasons,
    bool TimedOut);
