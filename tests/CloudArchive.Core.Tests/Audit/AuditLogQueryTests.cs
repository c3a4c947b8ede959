using CloudArchive.Core.Audit;
using Xunit;

namespace CloudArchive.Core.Tests.Audit;

public sealed class AuditLogQueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<InMemoryAuditLogStore> SeedAsync()
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using var ingest = new AuditLogWriter(store, "func-1", clock);
        using var cli = new AuditLogWriter(store, "cli-7", clock);
        await ingest.AppendAsync(AuditSamples.Import(1), Ct);                       // 10:15
        clock.Advance(TimeSpan.FromMinutes(30));
        await cli.AppendAsync(AuditSamples.Read(), Ct);                             // 10:45
        clock.Advance(TimeSpan.FromMinutes(30));
        await ingest.AppendAsync(AuditSamples.Import(2, AuditSamples.OtherStudyKey), Ct); // 11:15
        clock.Advance(TimeSpan.FromDays(1));
        await cli.AppendAsync(AuditSamples.Read("rad.two@hospital.example"), Ct);   // next day 11:15
        return store;
    }

    private static async Task<List<AuditLogEntry>> RunAsync(InMemoryAuditLogStore store, AuditQueryFilter filter)
    {
        var result = new List<AuditLogEntry>();
        await foreach (var entry in new AuditLogQuery(store).QueryAsync(filter, Ct))
        {
            result.Add(entry);
        }

        return result;
    }

    [Fact]
    public async Task A_polling_query_returns_each_record_once_and_reads_only_blobs_that_grew()
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using var ingest = new AuditLogWriter(store, "func-1", clock);
        using var cli = new AuditLogWriter(store, "cli-7", clock);
        await ingest.AppendAsync(AuditSamples.Import(1), Ct);
        await cli.AppendAsync(AuditSamples.Read(), Ct);
        var readTo = new Dictionary<string, long>(StringComparer.Ordinal);
        var query = new AuditLogQuery(store);
        async Task<List<AuditLogEntry>> PollAsync()
        {
            var found = new List<AuditLogEntry>();
            await foreach (var entry in query.QueryNewAsync(new AuditQueryFilter { From = AuditSamples.Start }, readTo, Ct))
            {
                found.Add(entry);
            }

            return found;
        }

        var first = await PollAsync();
        var opensAfterFirst = store.ReadsOpened;
        var nothingNew = await PollAsync();
        await ingest.AppendAsync(AuditSamples.Import(2), Ct);
        var opensBeforeThird = store.ReadsOpened;
        var third = await PollAsync();

        Assert.Equal(2, first.Count);
        Assert.Empty(nothingNew);
        Assert.Equal(opensAfterFirst, opensBeforeThird); // an unchanged blob is not read again
        var appended = Assert.Single(third);
        Assert.Equal("log/2026/11/22/10/func-1.jsonl", appended.BlobName);
        Assert.Equal(AuditEventType.Import, appended.Record.Event.EventType);
        Assert.Equal(opensBeforeThird + 1, store.ReadsOpened); // and only the blob that grew is, from where it stopped
        Assert.Equal(store.Read("log/2026/11/22/10/func-1.jsonl").Length, readTo["log/2026/11/22/10/func-1.jsonl"]);
    }

    [Fact]
    public async Task Without_criteria_every_record_is_returned_in_blob_order()
    {
        var store = await SeedAsync();

        var all = await RunAsync(store, new AuditQueryFilter());

        Assert.Equal(4, all.Count);
        Assert.Equal(["log/2026/11/22/10/cli-7.jsonl", "log/2026/11/22/10/func-1.jsonl", "log/2026/11/22/11/func-1.jsonl", "log/2026/11/23/11/cli-7.jsonl"], all.Select(e => e.BlobName));
    }

    [Fact]
    public async Task Time_range_is_from_inclusive_to_exclusive()
    {
        var store = await SeedAsync();

        var hits = await RunAsync(store, new AuditQueryFilter { From = AuditSamples.Start.AddMinutes(30), To = AuditSamples.Start.AddHours(1) });
        var widened = await RunAsync(store, new AuditQueryFilter { From = AuditSamples.Start.AddMinutes(30), To = AuditSamples.Start.AddHours(1).AddTicks(1) });

        Assert.Equal(AuditSamples.Start.AddMinutes(30), Assert.Single(hits).Record.Time);
        Assert.Equal([AuditSamples.Start.AddMinutes(30), AuditSamples.Start.AddHours(1)], widened.Select(h => h.Record.Time).Order());
    }

    [Fact]
    public async Task Filters_by_actor_action_event_and_study()
    {
        var store = await SeedAsync();

        Assert.Equal(2, (await RunAsync(store, new AuditQueryFilter { Actor = "svc:ingest" })).Count);
        Assert.Single(await RunAsync(store, new AuditQueryFilter { Actor = "RAD.TWO@hospital.example" }));
        Assert.Equal(2, (await RunAsync(store, new AuditQueryFilter { Action = AuditAction.Read })).Count);
        Assert.Equal(2, (await RunAsync(store, new AuditQueryFilter { EventType = AuditEventType.Import })).Count);
        var study = await RunAsync(store, new AuditQueryFilter { Study = new OpaqueKey(AuditSamples.OtherStudyKey) });
        Assert.Equal(3, study.Count);
        var combined = await RunAsync(store, new AuditQueryFilter { Study = new OpaqueKey(AuditSamples.OtherStudyKey), EventType = AuditEventType.Import });
        var hit = Assert.Single(combined);
        Assert.Equal(("log/2026/11/22/11/func-1.jsonl", 1), (hit.BlobName, hit.LineNumber));
    }

    [Fact]
    public async Task Damaged_lines_are_skipped_not_fatal()
    {
        var store = await SeedAsync();
        store.Tamper("log/2026/11/22/10/func-1.jsonl", [.. store.Read("log/2026/11/22/10/func-1.jsonl"), .. "garbage\n"u8]);

        Assert.Equal(4, (await RunAsync(store, new AuditQueryFilter())).Count);
    }
}
