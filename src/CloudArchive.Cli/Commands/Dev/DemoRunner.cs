using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Storage;
using CloudArchive.Cli.Commands.Status;
using CloudArchive.Cli.Commands.Upload;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// The <c>--demo</c>: uploads the sample studies from <c>testdata/dicom</c> (every sample, including the broken
/// ones), an exact re-upload, a truncated file, a non-DICOM file and an empty file, waits until ingest has
/// handled every upload, and summarizes from the archive's own records (audit import events, quarantine reasons).
/// </summary>
internal sealed class DemoRunner
{
    private static readonly HashSet<string> NotUploads = new(StringComparer.OrdinalIgnoreCase) { "MANIFEST.md", "SHA256SUMS", "DICOMDIR" };
    private readonly DevPaths _paths;
    private readonly StorageConnection _connection;
    private readonly Common.ArchiveSettings _settings;

    public DemoRunner(DevPaths paths, StorageConnection connection, Common.ArchiveSettings settings)
    {
        _paths = paths;
        _connection = connection;
        _settings = settings;
    }

    /// <summary>Creates the demo's extra inputs and returns every file to upload under <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<UploadFile>> PrepareAsync(string prefix, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_paths.Samples))
        {
            throw new Common.UsageException($"The demo needs the sample files in {_paths.Samples}.");
        }

        var files = Directory.EnumerateFiles(_paths.Samples)
            .Where(f => !NotUploads.Contains(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .Select(f => new UploadFile(f, $"{prefix}samples/{Path.GetFileName(f)}", new FileInfo(f).Length))
            .ToList();

        var extras = Path.Combine(_paths.State, "demo-inputs");
        Directory.CreateDirectory(extras);
        var source = Path.Combine(_paths.Samples, "MR_small.dcm");
        var truncated = Path.Combine(extras, "MR_small_cut_at_1000.dcm");
        await using (var input = File.OpenRead(source))
        await using (var output = File.Create(truncated))
        {
            var buffer = new byte[1000];
            await input.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        var notDicom = Path.Combine(extras, "not-dicom.dcm");
        await File.WriteAllTextAsync(notDicom, "This is a text file, not a DICOM instance.\n", cancellationToken).ConfigureAwait(false);
        var empty = Path.Combine(extras, "empty.dcm");
        await File.WriteAllBytesAsync(empty, [], cancellationToken).ConfigureAwait(false);
        var reupload = Path.Combine(_paths.Samples, "CT_small.dcm");

        files.Add(new UploadFile(reupload, $"{prefix}reupload/CT_small.dcm", new FileInfo(reupload).Length));
        files.Add(new UploadFile(truncated, $"{prefix}broken/MR_small_cut_at_1000.dcm", new FileInfo(truncated).Length));
        files.Add(new UploadFile(notDicom, $"{prefix}broken/not-dicom.dcm", new FileInfo(notDicom).Length));
        files.Add(new UploadFile(empty, $"{prefix}broken/empty.dcm", 0));
        return files;
    }

    /// <summary>
    /// Uploads, waits with a progress display, and returns the summary. The exact re-upload is sent after the first
    /// wave has been ingested, as a gateway re-sending a study later would, so it meets an archived instance.
    /// </summary>
    public async Task<DemoSummary> RunAsync(IAnsiConsole console, string prefix, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var files = await PrepareAsync(prefix, cancellationToken).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var incoming = _connection.Blobs.GetBlobContainerClient(_settings.Container("Incoming"));
        var poison = _connection.Queues.GetQueueClient(Azure.Composition.ArchiveQueueNames.Poison(Azure.Composition.ArchiveQueueNames.Ingest));
        var poisonBefore = await SafeCountAsync(poison, cancellationToken).ConfigureAwait(false);
        var deadline = DateTimeOffset.UtcNow + timeout;
        var reuploadPrefix = prefix + "reupload/";
        var waves = new[]
        {
            (Label: "Ingesting", Files: files.Where(f => !f.BlobName.StartsWith(reuploadPrefix, StringComparison.Ordinal)).ToList()),
            (Label: "Ingesting the re-upload", Files: files.Where(f => f.BlobName.StartsWith(reuploadPrefix, StringComparison.Ordinal)).ToList()),
        };

        var sent = 0;
        var remaining = 0;
        var poisoned = 0L;
        foreach (var (label, wave) in waves)
        {
            await UploadCommand.RunWithProgressAsync(console, "Uploading", wave.Sum(f => f.Length), wave, async report =>
                await GatewayUploader.UploadAsync(_connection, incoming.Name, wave, 4, f => report(f.Length), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            sent += wave.Count;
            console.MarkupLine($"Uploaded [green]{wave.Count}[/] file(s) to [blue]{Markup.Escape(incoming.Name)}/{Markup.Escape(prefix)}[/]; waiting for ingest...");
            (remaining, poisoned) = await WaitForIngestAsync(console, label, incoming, poison, prefix, sent, poisonBefore, deadline, cancellationToken).ConfigureAwait(false);
            if (remaining > poisoned)
            {
                break; // timed out
            }
        }

        return await SummarizeAsync(sent, prefix, started, remaining, poisoned, remaining > poisoned, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until every sent upload has left incoming (or its message went to the poison queue), or the deadline passes.</summary>
    private static async Task<(int Remaining, long Poisoned)> WaitForIngestAsync(
        IAnsiConsole console, string label, BlobContainerClient incoming, QueueClient poison, string prefix, int sent, long poisonBefore, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var remaining = sent;
        var poisoned = 0L;
        async Task<bool> PollAsync()
        {
            remaining = await CountAsync(incoming, prefix, cancellationToken).ConfigureAwait(false);
            poisoned = await SafeCountAsync(poison, cancellationToken).ConfigureAwait(false) - poisonBefore;
            // Poisoned messages leave their uploads in incoming (a person must look at them): they count as handled here.
            return remaining <= poisoned || DateTimeOffset.UtcNow > deadline;
        }

        if (console.Profile.Capabilities.Interactive)
        {
            await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(label, maxValue: sent);
                    while (!await PollAsync().ConfigureAwait(false))
                    {
                        task.Value = sent - remaining;
                        await Task.Delay(500, cancellationToken).ConfigureAwait(false);
                    }

                    task.Value = sent - remaining;
                }).ConfigureAwait(false);
        }
        else
        {
            var lastReported = -1;
            while (!await PollAsync().ConfigureAwait(false))
            {
                if (remaining != lastReported)
                {
                    console.WriteLine($"ingest: {sent - remaining}/{sent} handled");
                    lastReported = remaining;
                }

                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }
        }

        return (remaining, poisoned);
    }

    private async Task<DemoSummary> SummarizeAsync(int uploaded, string prefix, DateTimeOffset since, int remaining, long poisoned, bool timedOut, CancellationToken cancellationToken)
    {
        int archived = 0, duplicates = 0, quarantined = 0;
        var quarantineIds = new List<string>();
        var audit = new BlobAuditLogStore(_connection.Blobs.GetBlobContainerClient(_settings.Container("Audit")));
        await foreach (var entry in new AuditLogQuery(audit).QueryAsync(new AuditQueryFilter { From = since, EventType = AuditEventType.Import }, cancellationToken).ConfigureAwait(false))
        {
            switch (ImportAuditDetails.Outcome(entry.Record.Event.Details))
            {
                case ImportAuditOutcome.Quarantined or ImportAuditOutcome.Discarded:
                    quarantined++;
                    if (ImportAuditDetails.QuarantineIdOf(entry.Record.Event.Details) is { } id)
                    {
                        quarantineIds.Add(id);
                    }

                    break;
                case ImportAuditOutcome.Duplicate:
                    duplicates++;
                    break;
                case ImportAuditOutcome.Archived when entry.Record.Event.Outcome == AuditOutcome.Success:
                    archived++;
                    break;
            }
        }

        // The demo's own quarantined uploads, found through their import lines (quarantine names carry no upload name).
        var reasons = await ArchiveStatusReader.ReadQuarantineAsync(_connection.Blobs.GetBlobContainerClient(_settings.Container("Quarantine")), _connection.Options, quarantineIds, cancellationToken).ConfigureAwait(false);
        return new DemoSummary(uploaded, archived, duplicates, quarantined, remaining, poisoned, reasons, timedOut);
    }

    public static void Render(IAnsiConsole console, DemoSummary summary, string prefix)
    {
        var totals = new Table().Title("Demo result").AddColumns("outcome", "uploads");
        totals.AddRow("uploaded", summary.Uploaded.ToString(System.Globalization.CultureInfo.InvariantCulture));
        totals.AddRow("[green]archived[/] (encrypted in 'archive')", summary.Archived.ToString(System.Globalization.CultureInfo.InvariantCulture));
        totals.AddRow("duplicates (already archived, upload removed)", summary.Duplicates.ToString(System.Globalization.CultureInfo.InvariantCulture));
        totals.AddRow("[yellow]quarantined[/] (with a reason)", summary.Quarantined.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (summary.PoisonMessages > 0)
        {
            totals.AddRow("[red]failed to the poison queue[/]", summary.PoisonMessages.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (summary.StillInIncoming > 0)
        {
            totals.AddRow("[red]still in 'incoming'[/]", summary.StillInIncoming.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(totals);
        if (summary.QuarantineReasons.Count > 0)
        {
            var reasons = new Table().Title("Quarantined uploads (cloudarchive quarantine show ID)").AddColumns("id", "reason", "message");
            foreach (var r in summary.QuarantineReasons)
            {
                reasons.AddRow(r.Id, Markup.Escape(r.Reason), Markup.Escape(r.Message));
            }

            console.Write(reasons);
        }

        if (summary.TimedOut)
        {
            console.MarkupLine("[red]Timed out[/] before every upload was handled; see .cloudarchive/logs/functions.log.");
        }
    }

    private static async Task<int> CountAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in StorageListing.ListAsync(container, prefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    private static async Task<long> SafeCountAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        try
        {
            return await ArchiveStatusReader.ApproximateMessageCountAsync(queue, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return 0;
        }
    }
}
