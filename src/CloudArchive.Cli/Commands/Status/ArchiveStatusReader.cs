using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Storage;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Ingest.Quarantine;

namespace CloudArchive.Cli.Commands.Status;

/// <summary>Reads <see cref="ArchiveStatus"/> from storage: lists each container, asks each queue for its depth,
/// reads the newest quarantine reason files and the newest audit blob.</summary>
internal static class ArchiveStatusReader
{
    /// <summary>The container roles of docs/architecture.md §2, in display order.</summary>
    public static readonly IReadOnlyList<string> ContainerRoles = Azure.Composition.ArchiveContainerNames.Roles;

    /// <summary>Both work queues (ingest, export), each followed by its poison queue.</summary>
    public static IReadOnlyList<string> QueueNames => Azure.Composition.ArchiveQueueNames.All;

    public static async Task<ArchiveStatus> ReadAsync(StorageConnection connection, ArchiveSettings settings, int recentQuarantine, CancellationToken cancellationToken)
    {
        var containers = new List<ContainerCount>();
        foreach (var role in ContainerRoles)
        {
            var name = settings.Container(role);
            var container = connection.Blobs.GetBlobContainerClient(name);
            if (!await ExistsAsync(container, cancellationToken).ConfigureAwait(false))
            {
                containers.Add(new ContainerCount(role, name, false, 0, 0));
                continue;
            }

            long blobs = 0, bytes = 0;
            await foreach (var blob in StorageListing.ListAsync(container, prefix: null, BlobTraits.None, cancellationToken).ConfigureAwait(false))
            {
                if (role == "Quarantine" && blob.Name.EndsWith(".reason.json", StringComparison.Ordinal))
                {
                    continue; // count uploads, not their reason files
                }

                blobs++;
                bytes += blob.Properties.ContentLength ?? 0;
            }

            containers.Add(new ContainerCount(role, name, true, blobs, bytes));
        }

        var queues = new List<QueueDepth>();
        foreach (var name in QueueNames)
        {
            try
            {
                queues.Add(new QueueDepth(name, true, await ApproximateMessageCountAsync(connection.Queues.GetQueueClient(name), cancellationToken).ConfigureAwait(false)));
            }
            catch (StorageRequestException ex) when (ex.IsNotFound)
            {
                queues.Add(new QueueDepth(name, false, 0));
            }
        }

        var quarantine = await ReadRecentQuarantineAsync(connection.Blobs.GetBlobContainerClient(settings.Container("Quarantine")), connection.Options, recentQuarantine, cancellationToken).ConfigureAwait(false);
        DateTimeOffset? lastAudit = null;
        var audit = connection.Blobs.GetBlobContainerClient(settings.Container("Audit"));
        if (await ExistsAsync(audit, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var blob in StorageListing.ListAsync(audit, "log/", BlobTraits.None, cancellationToken).ConfigureAwait(false))
            {
                if (blob.Properties.LastModified is { } modified && (lastAudit is null || modified > lastAudit))
                {
                    lastAudit = modified;
                }
            }
        }

        var findings = await ReadFindingsAsync(connection.Blobs.GetBlobContainerClient(settings.Container("Control")), cancellationToken).ConfigureAwait(false);
        var app = await FunctionAppProbe.ProbeAsync(settings, cancellationToken).ConfigureAwait(false);
        return new ArchiveStatus(app, containers, queues, quarantine, lastAudit, findings);
    }

    /// <summary>The newest <paramref name="count"/> quarantined uploads (all when <paramref name="count"/> is <see cref="int.MaxValue"/>), newest first: ids, reasons and ages, never upload names.</summary>
    public static async Task<IReadOnlyList<QuarantineRow>> ReadRecentQuarantineAsync(BlobContainerClient quarantine, StorageOptions options, int count, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(quarantine, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var reasons = new List<BlobItem>();
        await foreach (var blob in StorageListing.ListAsync(quarantine, QuarantineNames.Prefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            if (blob.Name.EndsWith(QuarantineNames.ReasonSuffix, StringComparison.Ordinal) && QuarantineNames.IdOf(blob.Name) is not null)
            {
                reasons.Add(blob);
            }
        }

        // The newest by last write; a reason rewritten by a retry is then sorted by the time the ingest recorded.
        var ids = reasons.OrderByDescending(b => b.Properties.LastModified).Take(count).Select(b => QuarantineNames.IdOf(b.Name)!);
        return await ReadQuarantineAsync(quarantine, options, ids, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The quarantined uploads with these ids (those still there), newest first.</summary>
    public static async Task<IReadOnlyList<QuarantineRow>> ReadQuarantineAsync(BlobContainerClient quarantine, StorageOptions options, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var store = new BlobQuarantineStore(quarantine, options);
        var rows = new List<QuarantineRow>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var blob = await store.ReadReasonAsync(id, cancellationToken).ConfigureAwait(false);
            if (blob is null)
            {
                continue;
            }

            try
            {
                var record = QuarantineRecord.Parse(blob.Json.Span);
                rows.Add(new QuarantineRow(id, record.Reason, record.Message, record.Time, record.RetriedAt is not null));
            }
            catch (FormatException)
            {
                rows.Add(new QuarantineRow(id, "(unreadable reason document)", string.Empty, blob.LastModified, false));
            }
        }

        return rows.OrderByDescending(r => r.Time).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The open findings: archive blobs the fixity sweep found failing and that have not verified since.</summary>
    public static async Task<IReadOnlyList<StatusFinding>> ReadFindingsAsync(BlobContainerClient control, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(control, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var findings = new List<StatusFinding>();
        await foreach (var finding in new Azure.Lifecycle.BlobFixityStore(control).ListFindingsAsync(cancellationToken).ConfigureAwait(false))
        {
            findings.Add(new StatusFinding("fixity-failed", finding.BlobName, finding.Problem, finding.DetectedAt));
        }

        return findings;
    }

    /// <summary>Whether the container exists (a missing one is reported, not an error).</summary>
    public static async Task<bool> ExistsAsync(BlobContainerClient container, CancellationToken cancellationToken) =>
        (await StorageCall.RunAsync("GetContainerProperties", () => container.ExistsAsync(cancellationToken)).ConfigureAwait(false)).Value;

    /// <summary>The queue's approximate depth; a missing queue is a <see cref="StorageRequestException"/> with <c>IsNotFound</c>.</summary>
    public static async Task<long> ApproximateMessageCountAsync(global::Azure.Storage.Queues.QueueClient queue, CancellationToken cancellationToken) =>
        (await StorageCall.RunAsync("GetQueueMetadata", () => queue.GetPropertiesAsync(cancellationToken)).ConfigureAwait(false)).Value.ApproximateMessagesCount;
}
