using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Audit;
using CloudArchive.Core.Audit;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Audit;

/// <summary>The audit log on real append blobs (Azurite): chain, append-position conflicts, tamper detection.</summary>
public sealed class BlobAuditLogStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEvent Import(int n) => new()
    {
        EventType = AuditEventType.Import,
        Action = AuditAction.Create,
        Outcome = AuditOutcome.Success,
        Actor = new AuditActor("svc:ingest", app: "cloudarchive-functions", isRequestor: false),
        Study = new OpaqueKey("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        Instance = new OpaqueKey("abcdefghijklmnopqrstuvwx23"),
        Bytes = n,
        CorrelationId = $"inv-{n}",
    };

    private async Task<(BlobContainerClient Container, BlobAuditLogStore Store)> NewStoreAsync()
    {
        var container = await azurite.CreateContainerAsync("audit", cancellationToken: Ct);
        return (container, new BlobAuditLogStore(container));
    }

    [Fact]
    public async Task Appends_chain_and_verify_on_append_blobs()
    {
        var (container, store) = await NewStoreAsync();
        using var writer = new AuditLogWriter(store, "func-1", TimeProvider.System);

        for (var i = 1; i <= 5; i++)
        {
            await writer.AppendAsync(Import(i), Ct);
        }

        var report = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);
        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
        Assert.Equal(5, report.LinesChecked);
        var blob = Assert.Single(await ListAsync(store));
        Assert.Equal(BlobType.Append, (await container.GetBlobClient(blob.Name).GetPropertiesAsync(cancellationToken: Ct)).Value.BlobType);

        var hits = new List<AuditLogEntry>();
        await foreach (var entry in new AuditLogQuery(store).QueryAsync(new AuditQueryFilter { EventType = AuditEventType.Import }, Ct))
        {
            hits.Add(entry);
        }

        Assert.Equal([1L, 2, 3, 4, 5], hits.Select(h => h.Record.Event.Bytes!.Value));
    }

    [Fact]
    public async Task A_stale_append_position_is_a_mismatch_not_an_overwrite()
    {
        var (_, store) = await NewStoreAsync();
        const string name = "log/2026/11/22/10/w.jsonl";

        Assert.Null(await store.GetLengthAsync(name, Ct));
        Assert.True(await store.CreateIfNotExistsAsync(name, Ct));
        Assert.False(await store.CreateIfNotExistsAsync(name, Ct));
        Assert.Equal(AuditAppendOutcome.Appended, await store.AppendAsync(name, "a\n"u8.ToArray(), 0, Ct));
        Assert.Equal(AuditAppendOutcome.PositionMismatch, await store.AppendAsync(name, "b\n"u8.ToArray(), 0, Ct));
        Assert.Equal(AuditAppendOutcome.Appended, await store.AppendAsync(name, "c\n"u8.ToArray(), 2, Ct));

        Assert.Equal(4, await store.GetLengthAsync(name, Ct));
        Assert.Equal("a\nc\n", await ReadAsync(store, name, 0));
        Assert.Equal("c\n", await ReadAsync(store, name, 2));
        Assert.Equal("", await ReadAsync(store, name, 4));
    }

    [Fact]
    public async Task Missing_blobs_are_typed_errors()
    {
        var (_, store) = await NewStoreAsync();

        var append = await Assert.ThrowsAsync<AuditStoreException>(() => store.AppendAsync("log/2026/11/22/10/x.jsonl", "a"u8.ToArray(), 0, Ct));
        var read = await Assert.ThrowsAsync<AuditStoreException>(() => store.OpenReadAsync("log/2026/11/22/10/x.jsonl", 0, Ct));

        Assert.True(append.IsNotFound);
        Assert.True(read.IsNotFound);
    }

    [Fact]
    public async Task Two_processes_with_the_same_writer_id_recover_from_412_and_keep_one_valid_chain()
    {
        var (_, store) = await NewStoreAsync();
        using var first = new AuditLogWriter(store, "func-1", TimeProvider.System, maxAttempts: 64);
        using var second = new AuditLogWriter(store, "func-1", TimeProvider.System, maxAttempts: 64);

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 15; i++) { await first.AppendAsync(Import(i), Ct); } }, Ct),
            Task.Run(async () => { for (var i = 100; i < 115; i++) { await second.AppendAsync(Import(i), Ct); } }, Ct));

        var report = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);
        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
        // An hour boundary may split the lines over two blobs; none is lost or doubled.
        Assert.Equal(30, report.LinesChecked);
    }

    [Fact]
    public async Task A_rewritten_blob_with_a_modified_line_is_reported_at_the_right_line()
    {
        var (container, store) = await NewStoreAsync();
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        using (var writer = new AuditLogWriter(store, "func-1", clock))
        {
            for (var i = 1; i <= 4; i++)
            {
                await writer.AppendAsync(Import(i), Ct);
            }
        }

        const string name = "log/2026/11/22/10/func-1.jsonl";
        var original = await ReadAsync(store, name, 0);
        var tampered = original.Replace("\"bytes\":2,", "\"bytes\":7,", StringComparison.Ordinal);
        Assert.NotEqual(original, tampered);

        // What an attacker with delete rights could do without immutability: delete and recreate the blob.
        var blob = container.GetAppendBlobClient(name);
        await blob.DeleteAsync(cancellationToken: Ct);
        await blob.CreateAsync(cancellationToken: Ct);
        using (var block = new MemoryStream(Encoding.UTF8.GetBytes(tampered)))
        {
            await blob.AppendBlockAsync(block, cancellationToken: Ct);
        }

        var report = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);

        var finding = Assert.Single(report.Findings);
        Assert.Equal((name, 3, AuditFindingKind.ChainBroken), (finding.BlobName, finding.LineNumber, finding.Kind));
        Assert.Contains("line 2 was modified", finding.Message, StringComparison.Ordinal);
    }

    private static async Task<List<AuditBlobInfo>> ListAsync(IAuditLogStore store)
    {
        var result = new List<AuditBlobInfo>();
        await foreach (var blob in store.ListAsync(AuditBlobName.Root, Ct))
        {
            result.Add(blob);
        }

        return result;
    }

    private static async Task<string> ReadAsync(IAuditLogStore store, string name, long offset)
    {
        await using var stream = await store.OpenReadAsync(name, offset, Ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(Ct);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
