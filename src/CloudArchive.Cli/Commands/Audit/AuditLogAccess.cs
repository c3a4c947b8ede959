using CloudArchive.Azure.Audit;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit;

namespace CloudArchive.Cli.Commands.Audit;

/// <summary>
/// Opens the audit log and records the CLI's own use of it: reading the audit log is itself an audited
/// event (DICOM 110101 Audit Log Used), written by the composed (keyed) writer under a writer id unique to this CLI
/// process.
/// </summary>
internal static class AuditLogAccess
{
    public const string Actor = "cli:cloudarchive";

    /// <summary>The CLI's actor in audit lines.</summary>
    public static AuditActor CliActor { get; } = new(Actor, app: "cloudarchive-cli");

    public static BlobAuditLogStore OpenStore(ArchiveSettings settings) =>
        new(settings.Connect().Blobs.GetBlobContainerClient(settings.Container("Audit")));

    public static async Task RecordUseAsync(ArchiveSettings settings, AuditAction action, AuditOutcome outcome, IReadOnlyList<string> details, CancellationToken cancellationToken)
    {
        using var services = ArchiveServices.Open(settings);
        await RecordUseAsync(services.Get<AuditLogWriter>(), action, outcome, details, cancellationToken).ConfigureAwait(false);
    }

    public static async Task RecordUseAsync(AuditLogWriter writer, AuditAction action, AuditOutcome outcome, IReadOnlyList<string> details, CancellationToken cancellationToken)
    {
        await writer.AppendAsync(new AuditEvent
        {
            EventType = AuditEventType.AuditLogUsed,
            Action = action,
            Outcome = outcome,
            Actor = CliActor,
            Details = details,
        }, cancellationToken).ConfigureAwait(false);
    }
}
