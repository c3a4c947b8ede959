using System.Text;
using CloudArchive.Core.Audit;
using Xunit;

namespace CloudArchive.Core.Tests.Audit;

/// <summary>After a lost append race the writer checks that the blob still holds what it last wrote.</summary>
public sealed class AuditLogWriterTamperTests
{
    private const string Blob = "log/2026/11/22/10/func-1.jsonl";
    private const string Fresh = "log/2026/11/22/10/func-1-r1.jsonl";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] Lines(InMemoryAuditLogStore store, string blob) =>
        Encoding.UTF8.GetString(store.Read(blob)).Split('\n')[..^1];

    private static async Task<(InMemoryAuditLogStore Store, AuditLogWriter Writer, AuditChainKey Key)> WriterWithTwoLinesAsync()
    {
        var key = new AuditChainKey(Enumerable.Repeat((byte)3, AuditChainKey.Length).ToArray());
        var store = new InMemoryAuditLogStore();
        var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start), chainKey: new FixedAuditChainKeySource(key));
        await writer.AppendAsync(AuditSamples.Import(1), Ct);
        await writer.AppendAsync(AuditSamples.Import(2), Ct);
        return (store, writer, key);
    }

    [Fact]
    public async Task A_truncated_blob_is_abandoned_with_a_security_alert_in_a_fresh_blob()
    {
        var (store, writer, key) = await WriterWithTwoLinesAsync();
        using var _ = writer;
        using var __ = key;
        var first = Lines(store, Blob)[0];
        store.Tamper(Blob, Encoding.UTF8.GetBytes(first + "\n"));

        var record = await writer.AppendAsync(AuditSamples.Import(3), Ct);

        Assert.Equal([first], Lines(store, Blob));
        var fresh = Lines(store, Fresh).Select(l => AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(l))).ToList();
        Assert.Equal(2, fresh.Count);
        Assert.Equal(AuditEventType.SecurityAlert, fresh[0].Event.EventType);
        Assert.Contains("tamper=truncated", fresh[0].Event.Details);
        Assert.Contains("abandoned-generation=0", fresh[0].Event.Details);
        Assert.Equal(AuditLogWriter.TamperActorId, fresh[0].Event.Actor.Id);
        Assert.Equal(record, fresh[1]);
        Assert.Equal("func-1-r1", writer.CurrentWriterId);
        Assert.True((await new AuditLogVerifier(store, new FixedAuditChainKeySource(key)).VerifyBlobAsync(Fresh, Ct)).IsIntact);
    }

    [Fact]
    public async Task A_changed_tail_is_abandoned_and_never_appended_to_again()
    {
        var (store, writer, key) = await WriterWithTwoLinesAsync();
        using var _ = writer;
        using var __ = key;
        var lines = Lines(store, Blob);
        var original = AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(lines[1]));
        var forged = original with { Event = original.Event with { CorrelationId = "inv-2-rewritten-by-someone-else" } };
        var tampered = Encoding.UTF8.GetBytes(lines[0] + "\n" + Encoding.UTF8.GetString(AuditLineSerializer.Serialize(forged)) + "\n");
        store.Tamper(Blob, tampered);

        await writer.AppendAsync(AuditSamples.Import(3), Ct);
        await writer.AppendAsync(AuditSamples.Import(4), Ct);

        Assert.Equal(tampered, store.Read(Blob));
        var fresh = Lines(store, Fresh).Select(l => AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(l))).ToList();
        Assert.Equal([AuditEventType.SecurityAlert, AuditEventType.Import, AuditEventType.Import], fresh.Select(r => r.Event.EventType));
        Assert.Contains("tamper=tail-changed", fresh[0].Event.Details);
    }

    [Fact]
    public async Task A_blob_recreated_empty_is_seen_as_truncated()
    {
        var (store, writer, key) = await WriterWithTwoLinesAsync();
        using var _ = writer;
        using var __ = key;
        store.Tamper(Blob, []);

        await writer.AppendAsync(AuditSamples.Import(3), Ct);

        Assert.Empty(store.Read(Blob));
        Assert.Contains("tamper=truncated", AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(Lines(store, Fresh)[0])).Event.Details);
    }

    [Fact]
    public async Task A_deleted_blob_is_seen_as_deleted_and_not_recreated()
    {
        var (store, writer, key) = await WriterWithTwoLinesAsync();
        using var _ = writer;
        using var __ = key;
        store.Delete(Blob);

        await writer.AppendAsync(AuditSamples.Import(3), Ct);

        Assert.DoesNotContain(Blob, store.BlobNames);
        Assert.Contains("tamper=deleted", AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(Lines(store, Fresh)[0])).Event.Details);
    }

    [Fact]
    public async Task Another_appender_that_only_added_lines_is_not_tampering()
    {
        var (store, writer, key) = await WriterWithTwoLinesAsync();
        using var _ = writer;
        using var __ = key;
        using (var twin = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start), chainKey: new FixedAuditChainKeySource(key)))
        {
            await twin.AppendAsync(AuditSamples.Read(), Ct);
        }

        var record = await writer.AppendAsync(AuditSamples.Import(3), Ct);

        Assert.Equal(4, record.Sequence);
        Assert.DoesNotContain(Fresh, store.BlobNames);
        Assert.True((await new AuditLogVerifier(store, new FixedAuditChainKeySource(key)).VerifyAsync(null, null, Ct)).IsIntact);
    }

    [Fact]
    public void A_suffixed_writer_id_stays_a_valid_writer_id()
    {
        var longest = new string('a', AuditBlobName.MaxWriterIdLength);

        var suffixed = AuditLogWriter.SuffixedWriterId(longest, 12);

        Assert.True(AuditBlobName.IsValidWriterId(suffixed));
        Assert.EndsWith("-r12", suffixed, StringComparison.Ordinal);
    }
}
