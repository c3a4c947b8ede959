using System.Text.Json;
using Azure.Storage.Blobs;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Cli.Commands.Status;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;

namespace CloudArchive.Cli.Commands.Upload;

/// <summary>
/// Follows uploads to their outcome through the audit log: the ingest writes one import line (110107) per upload and
/// copies the upload's random reference into it, so an upload is matched without any file name in the archive. The
/// message of a quarantined upload comes from the quarantine reason file that names the same reference.
/// </summary>
internal sealed class UploadOutcomeTracker
{
    // The ingest may run on another machine whose clock differs; references are random, so a wide window is harmless.
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(5);
    private readonly BlobContainerClient _audit;
    private readonly BlobContainerClient _quarantine;
    private readonly TimeSpan _pollInterval;

    /// <summary>Creates a tracker over the audit and quarantine containers.</summary>
    public UploadOutcomeTracker(BlobContainerClient audit, BlobContainerClient quarantine, TimeSpan? pollInterval = null)
    {
        _audit = audit;
        _quarantine = quarantine;
        _pollInterval = pollInterval ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// Waits until every upload has an import line or <paramref name="timeout"/> passes; returns an outcome per file, in
    /// the order of <paramref name="files"/>. <paramref name="progress"/> gets the number settled so far.
    /// </summary>
    public async Task<IReadOnlyList<UploadOutcome>> WaitAsync(IReadOnlyList<UploadFile> files, DateTimeOffset uploadStarted, TimeSpan timeout, Action<int>? progress, CancellationToken cancellationToken)
    {
        var pending = files.ToDictionary(f => f.Reference, StringComparer.Ordinal);
        var settled = new Dictionary<string, UploadOutcome>(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow + timeout;
        var query = new AuditLogQuery(new BlobAuditLogStore(_audit));
        var filter = new AuditQueryFilter { From = uploadStarted - ClockSlack, EventType = AuditEventType.Import };
        var readTo = new Dictionary<string, long>(StringComparer.Ordinal); // each poll reads only what was appended since
        var auditExists = false;
        while (true)
        {
            auditExists = auditExists || await ArchiveStatusReader.ExistsAsync(_audit, cancellationToken).ConfigureAwait(false);
            if (auditExists)
            {
                await foreach (var entry in query.QueryNewAsync(filter, readTo, cancellationToken).ConfigureAwait(false))
                {
                    var details = entry.Record.Event.Details;
                    var reference = ImportAuditDetails.UploadReferenceOf(details);
                    if (reference is not null && pending.Remove(reference, out var file))
                    {
                        settled[reference] = await ClassifyAsync(file, details, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            progress?.Invoke(settled.Count);
            if (pending.Count == 0 || DateTimeOffset.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(_pollInterval, cancellationToken).ConfigureAwait(false);
        }

        return files.Select(f => settled.TryGetValue(f.Reference, out var outcome) ? outcome : new UploadOutcome(f, UploadOutcomeKind.TimedOut)).ToList();
    }

    private async Task<UploadOutcome> ClassifyAsync(UploadFile file, IReadOnlyList<string> details, CancellationToken cancellationToken)
    {
        return ImportAuditDetails.Outcome(details) switch
        {
            ImportAuditOutcome.Quarantined => new UploadOutcome(file, UploadOutcomeKind.Quarantined, ImportAuditDetails.Reason(details), await QuarantineMessageAsync(file, ImportAuditDetails.QuarantineIdOf(details), cancellationToken).ConfigureAwait(false)),
            ImportAuditOutcome.Discarded => new UploadOutcome(file, UploadOutcomeKind.Discarded, ImportAuditDetails.Reason(details), "The study was crypto-shredded; the upload was deleted, not kept."),
            ImportAuditOutcome.Duplicate => new UploadOutcome(file, UploadOutcomeKind.Duplicate),
            _ => new UploadOutcome(file, UploadOutcomeKind.Archived),
        };
    }

    /// <summary>The message of the quarantine reason document the import line names (<c>quarantine-id=</c>), if it carries this upload's reference.</summary>
    private async Task<string?> QuarantineMessageAsync(UploadFile file, string? id, CancellationToken cancellationToken)
    {
        if (!QuarantineNames.IsValidId(id))
        {
            return null;
        }

        try
        {
            using var download = await DownloadContentStream.OpenAsync(() => _quarantine.GetBlobClient(QuarantineNames.Reason(id!)).DownloadStreamingAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(download, cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = json.RootElement;
            if (root.TryGetProperty("uploadRef", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == file.Reference)
            {
                return root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            }
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
        catch (JsonException)
        {
            // An unreadable reason document has no message to show.
        }

        return null;
    }
}
