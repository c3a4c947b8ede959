using System.Globalization;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// The demo's look at the lifecycle timers (on fast schedules in the demo): waits for the first retention sweep that
/// starts after the demo's ingest and shows its audited counts, and shows which audit hours are sealed. Seals cover
/// closed hours only, so a fresh archive shows when its first seal will come rather than a seal.
/// </summary>
internal sealed class DemoLifecycleWatcher
{
    private readonly StorageConnection _connection;
    private readonly Common.ArchiveSettings _settings;
    private readonly TimeProvider _time;

    public DemoLifecycleWatcher(StorageConnection connection, Common.ArchiveSettings settings, TimeProvider? time = null)
    {
        _connection = connection;
        _settings = settings;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The sweep's audit line (its details), or null when none came within <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<string>?> WaitForSweepAsync(DateTimeOffset since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var query = new AuditLogQuery(new BlobAuditLogStore(_connection.Blobs.GetBlobContainerClient(_settings.Container("Audit"))));
        var filter = new AuditQueryFilter { From = since, EventType = AuditEventType.StudyDeleted, Action = AuditAction.Execute };
        var readTo = new Dictionary<string, long>(StringComparer.Ordinal);
        var deadline = _time.GetUtcNow() + timeout;
        while (_time.GetUtcNow() < deadline)
        {
            await foreach (var entry in query.QueryNewAsync(filter, readTo, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Record.Event.Details.Contains("retention-sweep") && entry.Record.Time >= since)
                {
                    return entry.Record.Event.Details;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(2), _time, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>The names of the seals written so far (one per sealed hour, <c>yyyy/MM/dd/HH.json</c>).</summary>
    public async Task<IReadOnlyList<string>> SealsAsync(CancellationToken cancellationToken)
    {
        var seals = new List<string>();
        await foreach (var blob in StorageListing.ListAsync(_connection.Blobs.GetBlobContainerClient(_settings.Container("Seals")), null, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            seals.Add(blob.Name);
        }

        return seals;
    }

    /// <summary>Prints what the timers did.</summary>
    public void Render(IAnsiConsole console, IReadOnlyList<string>? sweep, IReadOnlyList<string> seals)
    {
        var table = new Table().Title("Lifecycle timers (fast schedules: dev up --fast-timers)").AddColumns("timer", "what it did");
        table.AddRow("RetentionSweep", sweep is null
            ? "[yellow]no run seen yet[/] (cloudarchive retention plan shows what it would do)"
            : Markup.Escape(string.Join(", ", sweep.Where(d => d.Contains('=', StringComparison.Ordinal)))) + " (audited 110105)");
        var nextHour = _time.GetUtcNow().UtcDateTime.Date.AddHours(_time.GetUtcNow().UtcDateTime.Hour + 1);
        table.AddRow("AuditSeal", seals.Count == 0
            ? Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"no closed audit hour yet: this hour is sealed after {nextHour.AddMinutes(5):HH:mm} UTC (cloudarchive audit verify)"))
            : Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{seals.Count} hour(s) sealed, latest {seals.Max(StringComparer.Ordinal)} (cloudarchive audit verify)")));
        table.AddRow("Reconcile, FixitySweep", "every 1 and 2 minutes: cloudarchive status, cloudarchive fixity status");
        console.Write(table);
    }
}
