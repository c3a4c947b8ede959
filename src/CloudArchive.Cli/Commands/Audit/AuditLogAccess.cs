using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Composition;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit;

namespace CloudArchive.Cli.Commands.Audit;

/// <summary>
/// Opens the audit log and records the CLI's own use of it: reading the audit log is itself an audited
/// event (DICOM 110101 Audit Log Used), written by a writer id unique to this CLI process.
/// </summary>
internal static class AuditLogAccess
{
    public const string Actor = "cli:cloudarchive";

    public static BlobAuditLogStore OpenStore(ArchiveSettings settings) =>
        new(settings.Connect().Blobs.GetBlobContainerClient(settings.Container("Audit")));

    public static async Task RecordUseAsync(IAuditLogStore store, AuditAction action, AuditOutcome outcome, IReadOnlyList<string> details, CancellationToken cancellationToken)
    {
        using var writer = new AuditLogWriter(store, CloudArchiveHost.Cli(Environment.CurrentDirectory).NewWriterId(), TimeProvider.System);
        await writer.AppendAsync(new AuditEvent
        {
            EventType = AuditEventType.AuditLogUsed,
            Action = action,
            Outcome = outcome,
            Actor = new AuditActor(Actor, app: "cloudarchive-cli"),
            Details = details,
        }, cancellationToken).ConfigureAwait(false);
    }
}
