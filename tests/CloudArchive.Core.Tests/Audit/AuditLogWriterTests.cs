using System.Text;
using CloudArchive.Core.Audit;
using Xunit;

namespace CloudArchive.Core.Tests.Audit;

public sealed class AuditLogWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] Lines(InMemoryAuditLogStore store, string blob) =>
        Encoding.UTF8.GetString(store.Read(blob)).Split('\n')[..^1];

    [Fact]
    public async Task Lines_are_chained_from_the_genesis_value()
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using var writer = new AuditLogWriter(store, "func-1", clock);

        var first = await writer.AppendAsync(AuditSamples.Import(1), Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await writer.AppendAsync(AuditSamples.Read(), Ct);

        const string blob = "log/2026/11/22/10/func-1.jsonl";
        Assert.Equal([blob], store.BlobNames);
        var lines = Lines(store, blob);
        Assert.Equal(2, lines.Length);
        Assert.Equal(1, first.Sequence);
        Assert.Equal(AuditChain.GenesisHash(blob), first.PreviousHash);
        Assert.Equal(2, second.Sequence);
        Assert.Equal(AuditChain.Hash(Encoding.UTF8.GetBytes(lines[0])), second.PreviousHash);
        Assert.Equal(second, AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(lines[1])));
    }

    [Fact]
    public async Task A_new_hour_starts_a_new_blob_with_its_own_genesis()
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using var writer = new AuditLogWriter(store, "func-1", clock);

        await writer.AppendAsync(AuditSamples.Import(1), Ct);
        clock.Advance(TimeSpan.FromHours(1));
        var next = await writer.AppendAsync(AuditSamples.Import(2), Ct);

        Assert.Equal(["log/2026/11/22/10/func-1.jsonl", "log/2026/11/22/11/func-1.jsonl"], store.BlobNames);
        Assert.Equal(1, next.Sequence);
        Assert.Equal(AuditChain.GenesisHash("log/2026/11/22/11/func-1.jsonl"), next.PreviousHash);
    }

    [Fact]
    public async Task A_restarted_writer_continues_the_chain_from_the_blob_tail()
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using (var before = new AuditLogWriter(store, "func-1", clock))
        {
            await before.AppendAsync(AuditSamples.Import(1), Ct);
            await before.AppendAsync(AuditSamples.Import(2), Ct);
        }

        using var after = new AuditLogWriter(store, "func-1", clock);
        var record = await after.AppendAsync(AuditSamples.Import(3), Ct);

        Assert.Equal(3, record.Sequence);
        var report = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);
        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
        Assert.Equal(3, report.LinesChecked);
    }

    [Fact]
    public async Task A_competing_append_412_is_absorbed_by_rereading_the_tail()
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using var writer = new AuditLogWriter(store, "func-1", clock);
        using var rival = new AuditLogWriter(store, "func-1", clock);
        await writer.AppendAsync(AuditSamples.Import(1), Ct);

        var injected = false;
        store.BeforeAppend = async (_, _) =>
        {
            if (!injected)
            {
                injected = true;
                var hook = store.BeforeAppend;
                store.BeforeAppend = null;
                await rival.AppendAsync(AuditSamples.Read(), Ct);
                store.BeforeAppend = hook;
            }
        };

        var record = await writer.AppendAsync(AuditSamples.Import(2), Ct);

        Assert.Equal(3, record.Sequence);
        var report = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);
        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
        Assert.Equal(3, report.LinesChecked);
    }

    [Fact]
    public async Task A_lost_response_after_a_successful_append_does_not_write_the_line_twice()
    {
        var inner = new InMemoryAuditLogStore();
        var store = new LostResponseStore(inner);
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using var writer = new AuditLogWriter(store, "func-1", clock);

        var record = await writer.AppendAsync(AuditSamples.Import(1), Ct);

        Assert.Equal(1, record.Sequence);
        Assert.Single(Lines(inner, inner.BlobNames[0]));
        Assert.Equal(1, store.LostResponses);
    }

    [Fact]
    public async Task Endless_conflicts_end_in_a_typed_error()
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using var writer = new AuditLogWriter(store, "func-1", clock, maxAttempts: 3);
        using var rival = new AuditLogWriter(store, "func-1", clock);
        store.BeforeAppend = async (_, _) =>
        {
            var hook = store.BeforeAppend;
            store.BeforeAppend = null;
            await rival.AppendAsync(AuditSamples.Read(), Ct);
            store.BeforeAppend = hook;
        };

        var ex = await Assert.ThrowsAsync<AuditWriteConflictException>(() => writer.AppendAsync(AuditSamples.Import(1), Ct));

        Assert.Equal(3, ex.Attempts);
    }

    [Fact]
    public async Task A_damaged_tail_stops_the_writer()
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using (var first = new AuditLogWriter(store, "func-1", clock))
        {
            await first.AppendAsync(AuditSamples.Import(1), Ct);
        }

        var blob = store.BlobNames[0];
        store.Tamper(blob, [.. store.Read(blob), .. "{\"v\":1,\"seq\""u8]);
        using var writer = new AuditLogWriter(store, "func-1", clock);

        var ex = await Assert.ThrowsAsync<AuditLogCorruptException>(() => writer.AppendAsync(AuditSamples.Import(2), Ct));
        Assert.Equal(blob, ex.BlobName);

        store.Tamper(blob, [.. store.Read(blob), .. "garbage\n"u8]);
        await Assert.ThrowsAsync<AuditLogCorruptException>(() => writer.AppendAsync(AuditSamples.Import(2), Ct));
    }

    [Fact]
    public async Task Concurrent_appends_through_one_writer_form_one_valid_chain()
    {
        var store = new InMemoryAuditLogStore();
        using var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start));

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => writer.AppendAsync(AuditSamples.Import(i), Ct), Ct)));

        var report = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);
        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
        Assert.Equal(64, report.LinesChecked);
    }

    [Fact]
    public async Task Records_arriving_while_an_append_is_in_flight_are_committed_together_in_arrival_order()
    {
        var store = new InMemoryAuditLogStore();
        using var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start));
        var hold = FirstAppendHold.On(store);

        var first = writer.AppendAsync(AuditSamples.Import(0), Ct);
        await hold.InFlight;
        var queued = new List<Task<AuditRecord>>();
        for (var i = 1; i <= 20; i++)
        {
            queued.Add(writer.AppendAsync(AuditSamples.Import(i), Ct));
        }

        hold.Release();
        var records = await Task.WhenAll([first, .. queued]);

        Assert.Equal(2, hold.Appends);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), records.Select(r => r.Sequence));
        var lines = Lines(store, store.BlobNames[0]);
        Assert.Equal(21, lines.Length);
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(records[i], AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(lines[i])));
        }

        var report = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);
        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
    }

    [Fact]
    public async Task A_queued_record_whose_caller_gives_up_is_not_written()
    {
        var store = new InMemoryAuditLogStore();
        using var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start));
        var hold = FirstAppendHold.On(store);

        var first = writer.AppendAsync(AuditSamples.Import(1), Ct);
        await hold.InFlight;
        using var giveUp = new CancellationTokenSource();
        var abandoned = writer.AppendAsync(AuditSamples.Import(2), giveUp.Token);
        var kept = writer.AppendAsync(AuditSamples.Import(3), Ct);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        hold.Release();

        Assert.Equal(1, (await first).Sequence);
        Assert.Equal(2, (await kept).Sequence);
        var lines = Lines(store, store.BlobNames[0]);
        Assert.Equal(2, lines.Length);
        Assert.Equal(AuditSamples.Import(3).Study, AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(lines[1])).Event.Study);
    }

    [Fact]
    public async Task A_failed_group_append_fails_each_of_its_callers_and_the_next_append_continues_the_chain()
    {
        var store = new InMemoryAuditLogStore();
        using var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start));
        await writer.AppendAsync(AuditSamples.Import(0), Ct);
        var hold = FirstAppendHold.On(store, thenFail: blob => new AuditStoreException(blob, "storage answered 503", isNotFound: false));

        var first = writer.AppendAsync(AuditSamples.Import(1), Ct);
        await hold.InFlight;
        var group = Enumerable.Range(2, 5).Select(i => writer.AppendAsync(AuditSamples.Import(i), Ct)).ToList();
        hold.Release();

        Assert.Equal(2, (await first).Sequence);
        foreach (var member in group)
        {
            await Assert.ThrowsAsync<AuditStoreException>(() => member);
        }

        var next = await writer.AppendAsync(AuditSamples.Import(9), Ct);
        Assert.Equal(3, next.Sequence);
        var report = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);
        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
        Assert.Equal(3, report.LinesChecked);
    }

    [Fact]
    public async Task A_lost_response_for_a_group_returns_every_record_without_writing_any_twice()
    {
        var inner = new InMemoryAuditLogStore();
        var store = new LostResponseStore(inner);
        using var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start));
        var hold = FirstAppendHold.On(inner);

        // The first append's response is the one lost; the group behind it goes in the second append.
        var first = writer.AppendAsync(AuditSamples.Import(1), Ct);
        await hold.InFlight;
        var group = Enumerable.Range(2, 4).Select(i => writer.AppendAsync(AuditSamples.Import(i), Ct)).ToList();
        hold.Release();

        var records = await Task.WhenAll([first, .. group]);
        Assert.Equal([1L, 2, 3, 4, 5], records.Select(r => r.Sequence));
        Assert.Equal(5, Lines(inner, inner.BlobNames[0]).Length);
        Assert.Equal(1, store.LostResponses);
    }

    [Fact]
    public async Task An_event_too_large_for_one_line_fails_only_its_own_caller()
    {
        var store = new InMemoryAuditLogStore();
        using var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start));
        var huge = AuditSamples.Import(1) with { Details = Enumerable.Range(0, AuditEvent.MaxDetails).Select(i => new string('d', 300) + i).ToArray() };

        await Assert.ThrowsAsync<AuditFormatException>(() => writer.AppendAsync(huge, Ct));
        var record = await writer.AppendAsync(AuditSamples.Import(2), Ct);

        Assert.Equal(1, record.Sequence);
    }

    [Fact]
    public void Writer_ids_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new AuditLogWriter(new InMemoryAuditLogStore(), "Host/1", TimeProvider.System));
    }

    /// <summary>Holds the store's first append in flight until released, so that the records behind it queue up.</summary>
    private sealed class FirstAppendHold
    {
        private readonly TaskCompletionSource _inFlight = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _appends;

        public Task InFlight => _inFlight.Task;

        public int Appends => Volatile.Read(ref _appends);

        /// <summary>Hooks the store; with <paramref name="thenFail"/>, the second append throws what it returns.</summary>
        public static FirstAppendHold On(InMemoryAuditLogStore store, Func<string, Exception>? thenFail = null)
        {
            var hold = new FirstAppendHold();
            store.BeforeAppend = async (blob, _) =>
            {
                switch (Interlocked.Increment(ref hold._appends))
                {
                    case 1:
                        hold._inFlight.SetResult();
                        await hold._release.Task;
                        break;
                    case 2 when thenFail is not null:
                        throw thenFail(blob);
                }
            };
            return hold;
        }

        public void Release() => _release.SetResult();
    }

    /// <summary>Appends, then reports a 412 as a retried request would after the first response was lost.</summary>
    internal sealed class LostResponseStore(IAuditLogStore inner) : IAuditLogStore
    {
        public int LostResponses { get; private set; }

        public Task<long?> GetLengthAsync(string blobName, CancellationToken cancellationToken) => inner.GetLengthAsync(blobName, cancellationToken);

        public Task<bool> CreateIfNotExistsAsync(string blobName, CancellationToken cancellationToken) => inner.CreateIfNotExistsAsync(blobName, cancellationToken);

        public async Task<AuditAppendOutcome> AppendAsync(string blobName, ReadOnlyMemory<byte> data, long expectedLength, CancellationToken cancellationToken)
        {
            var outcome = await inner.AppendAsync(blobName, data, expectedLength, cancellationToken);
            if (outcome == AuditAppendOutcome.Appended && LostResponses == 0)
            {
                LostResponses++;
                return AuditAppendOutcome.PositionMismatch;
            }

            return outcome;
        }

        public Task<Stream> OpenReadAsync(string blobName, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(blobName, offset, cancellationToken);

        public IAsyncEnumerable<AuditBlobInfo> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);
    }
}
