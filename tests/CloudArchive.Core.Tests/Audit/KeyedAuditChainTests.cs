using System.Text;
using CloudArchive.Core.Audit;
using Xunit;

namespace CloudArchive.Core.Tests.Audit;

public sealed class KeyedAuditChainTests
{
    private const string Blob = "log/2026/11/22/10/func-1.jsonl";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditChainKey NewKey(byte fill = 7) => new(Enumerable.Repeat(fill, AuditChainKey.Length).ToArray());

    private static string[] Lines(InMemoryAuditLogStore store, string blob) =>
        Encoding.UTF8.GetString(store.Read(blob)).Split('\n')[..^1];

    [Fact]
    public async Task A_keyed_writer_writes_v2_lines_chained_by_hmac_from_a_keyed_genesis()
    {
        using var key = NewKey();
        var store = new InMemoryAuditLogStore();
        using var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start), chainKey: new FixedAuditChainKeySource(key));

        var first = await writer.AppendAsync(AuditSamples.Import(1), Ct);
        var second = await writer.AppendAsync(AuditSamples.Read(), Ct);

        var lines = Lines(store, Blob);
        Assert.Equal(AuditLineSerializer.KeyedFormatVersion, first.FormatVersion);
        Assert.StartsWith("{\"v\":2,", lines[0], StringComparison.Ordinal);
        Assert.Equal(key.Genesis(Blob), first.PreviousHash);
        Assert.NotEqual(AuditChain.GenesisHash(Blob), first.PreviousHash);
        Assert.Equal(key.Mac(Encoding.UTF8.GetBytes(lines[0])), second.PreviousHash);
        Assert.NotEqual(AuditChain.Hash(Encoding.UTF8.GetBytes(lines[0])), second.PreviousHash);
    }

    [Fact]
    public async Task A_keyed_log_verifies_with_its_key_and_fails_with_another()
    {
        using var key = NewKey();
        using var other = NewKey(9);
        var store = new InMemoryAuditLogStore();
        using (var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start), chainKey: new FixedAuditChainKeySource(key)))
        {
            await writer.AppendAsync(AuditSamples.Import(1), Ct);
            await writer.AppendAsync(AuditSamples.Import(2), Ct);
        }

        var good = await new AuditLogVerifier(store, new FixedAuditChainKeySource(key)).VerifyAsync(null, null, Ct);
        var wrong = await new AuditLogVerifier(store, new FixedAuditChainKeySource(other)).VerifyAsync(null, null, Ct);
        var keyless = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);

        Assert.True(good.IsIntact);
        Assert.Equal(0, good.LegacyLines);
        Assert.Equal(2, wrong.Findings.Count(f => f.Kind == AuditFindingKind.ChainBroken));
        Assert.Equal(2, keyless.Findings.Count(f => f.Kind == AuditFindingKind.ChainUnverifiable));
    }

    [Fact]
    public async Task A_chain_recomputed_without_the_key_is_detected()
    {
        using var key = NewKey();
        var store = new InMemoryAuditLogStore();
        using (var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start), chainKey: new FixedAuditChainKeySource(key)))
        {
            await writer.AppendAsync(AuditSamples.Import(1), Ct);
            await writer.AppendAsync(AuditSamples.Import(2), Ct);
        }

        // An attacker rewrites line 1 and recomputes line 2's prevHash the only way open to them: unkeyed SHA-256.
        var lines = Lines(store, Blob);
        var forgedFirst = AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(lines[0])) with { Event = AuditSamples.Read() };
        var forgedFirstBytes = AuditLineSerializer.Serialize(forgedFirst);
        var second = AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(lines[1])) with { PreviousHash = AuditChain.Hash(forgedFirstBytes) };
        store.Tamper(Blob, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(forgedFirstBytes) + "\n" + Encoding.UTF8.GetString(AuditLineSerializer.Serialize(second)) + "\n"));

        var report = await new AuditLogVerifier(store, new FixedAuditChainKeySource(key)).VerifyAsync(null, null, Ct);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AuditFindingKind.ChainBroken, finding.Kind);
        Assert.Equal(2, finding.LineNumber);
        Assert.Equal("chain-broken", finding.KindName);
    }

    [Fact]
    public async Task Legacy_unkeyed_lines_still_verify_and_are_counted_and_a_keyed_writer_continues_their_blob()
    {
        using var key = NewKey();
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using (var legacy = new AuditLogWriter(store, "func-1", clock))
        {
            await legacy.AppendAsync(AuditSamples.Import(1), Ct);
            await legacy.AppendAsync(AuditSamples.Import(2), Ct);
        }

        using (var keyed = new AuditLogWriter(store, "func-1", clock, chainKey: new FixedAuditChainKeySource(key)))
        {
            var third = await keyed.AppendAsync(AuditSamples.Import(3), Ct);
            Assert.Equal(3, third.Sequence);
            Assert.Equal(key.Mac(Encoding.UTF8.GetBytes(Lines(store, Blob)[1])), third.PreviousHash);
        }

        var report = await new AuditLogVerifier(store, new FixedAuditChainKeySource(key)).VerifyAsync(null, null, Ct);

        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
        Assert.Equal(3, report.LinesChecked);
        Assert.Equal(2, report.LegacyLines);
    }

    [Fact]
    public void A_chain_key_must_be_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => new AuditChainKey(new byte[16]));
    }

    [Fact]
    public void An_unknown_format_version_is_refused_when_parsing()
    {
        var line = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(AuditLineSerializer.Serialize(new AuditRecord(1, AuditChain.GenesisHash(Blob), AuditSamples.Start, "func-1", AuditSamples.Import(1))))
            .Replace("{\"v\":1,", "{\"v\":3,", StringComparison.Ordinal));

        Assert.Throws<AuditFormatException>(() => AuditLineSerializer.Parse(line));
    }
}
