using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Audit;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Audit.Seals;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Audit;

/// <summary>
/// Hourly seals on real storage (Azurite): the four tamper scenarios that used to pass <c>audit verify</c> (a blob
/// rewritten with a recomputed chain, truncated, deleted, recreated empty), missing seals, seal-chain gaps, forged
/// seals, and idempotent, resumable sealing.
/// </summary>
public sealed class AuditSealTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly AuditActor Timer = new(AuditSealer.TimerActorId, isRequestor: false);

    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("seal-key-").FullName;
    private readonly AuditChainKey _chainKey = new(Enumerable.Repeat((byte)5, AuditChainKey.Length).ToArray());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEvent Event(int n, AuditEventType type = AuditEventType.Import) => new()
    {
        EventType = type,
        Action = type == AuditEventType.Export ? AuditAction.Execute : AuditAction.Create,
        Outcome = AuditOutcome.Success,
        Actor = new AuditActor("svc:ingest", app: "cloudarchive-functions", isRequestor: false),
        Study = new OpaqueKey("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        Bytes = n,
        CorrelationId = $"inv-{n}",
    };

    public void Dispose()
    {
        _chainKey.Dispose();
        Directory.Delete(_keyDirectory, recursive: true);
    }

    private sealed class Archive
    {
        public required BlobContainerClient LogContainer { get; init; }

        public required BlobAuditLogStore Log { get; init; }

        public required BlobAuditSealStore Seals { get; init; }

        public required BlobContainerClient SealContainer { get; init; }

        public required LocalAuditSealSigner Signer { get; init; }

        public required Clock Clock { get; init; }

        public required IAuditChainKeySource ChainKey { get; init; }

        public AuditSealer Sealer(AuditLogWriter audit, AuditSealOptions? options = null) => new(Log, Seals, Signer, audit, Clock, options);

        public AuditSealVerifier Verifier() => new(Log, Seals, Signer, Clock);

        public AuditLogWriter Writer(string id) => new(Log, id, Clock, chainKey: ChainKey);

        public async Task<List<AuditFinding>> VerifyAllAsync()
        {
            var chains = await new AuditLogVerifier(Log, ChainKey).VerifyAsync(null, null, Ct);
            var (seals, _) = await Verifier().VerifyAsync(null, null, Ct);
            return [.. chains.Findings, .. seals];
        }
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private async Task<Archive> NewArchiveAsync()
    {
        var log = await azurite.CreateContainerAsync("audit", cancellationToken: Ct);
        var seals = await azurite.CreateContainerAsync("seals", cancellationToken: Ct);
        return new Archive
        {
            LogContainer = log,
            Log = new BlobAuditLogStore(log),
            SealContainer = seals,
            Seals = new BlobAuditSealStore(seals),
            Signer = new LocalAuditSealSigner(Path.Combine(_keyDirectory, LocalAuditSealSigner.FileName)),
            Clock = new Clock(Hour.AddMinutes(10)),
            ChainKey = new FixedAuditChainKeySource(_chainKey),
        };
    }

    /// <summary>Hour 10: two ingest writers with three lines each and one exporter with the only 110106 line; then sealed at 11:10.</summary>
    private static async Task<Archive> SealedHourAsync(Archive archive)
    {
        using (var a = archive.Writer("func-a"))
        using (var b = archive.Writer("func-b"))
        using (var export = archive.Writer("func-export"))
        {
            for (var i = 1; i <= 3; i++)
            {
                await a.AppendAsync(Event(i), Ct);
                await b.AppendAsync(Event(100 + i), Ct);
            }

            await export.AppendAsync(Event(7, AuditEventType.Export), Ct);
        }

        archive.Clock.Now = Hour.AddHours(1).AddMinutes(10);
        using var sealWriter = archive.Writer("func-seal");
        var run = await archive.Sealer(sealWriter).SealDueAsync(Timer, "test-run", Ct);
        var outcome = Assert.Single(run.Outcomes);
        Assert.True(outcome.Created);
        Assert.Equal(7, outcome.Seal.Lines);
        Assert.Equal(3, outcome.Seal.Blobs.Count);
        return archive;
    }

    private static string Name(string writer) => $"log/2026/11/22/10/{writer}.jsonl";

    private static async Task<string> ReadAsync(BlobContainerClient container, string name) =>
        (await container.GetBlobClient(name).DownloadContentAsync(Ct)).Value.Content.ToString();

    /// <summary>What an attacker with delete rights could do without immutability: delete and recreate the append blob.</summary>
    private static async Task ReplaceAsync(BlobContainerClient container, string name, string content)
    {
        var blob = container.GetAppendBlobClient(name);
        await blob.DeleteAsync(cancellationToken: Ct);
        await blob.CreateAsync(cancellationToken: Ct);
        if (content.Length > 0)
        {
            using var block = new MemoryStream(Encoding.UTF8.GetBytes(content));
            await blob.AppendBlockAsync(block, cancellationToken: Ct);
        }
    }

    [Fact]
    public async Task A_sealed_log_verifies_intact_and_the_seal_is_audited()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());

        Assert.Empty(await archive.VerifyAllAsync());
        var sealLine = (await ReadAsync(archive.LogContainer, "log/2026/11/22/11/func-seal.jsonl")).Split('\n')[0];
        var record = AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(sealLine));
        Assert.Equal(AuditEventType.ApplicationActivity, record.Event.EventType);
        Assert.Contains("audit-seal", record.Event.Details);
        Assert.Contains("hour=2026112210", record.Event.Details);
        Assert.Contains("lines=7", record.Event.Details);
    }

    [Fact]
    public async Task A_blob_rewritten_with_a_recomputed_chain_is_blob_rewritten_even_for_someone_holding_the_chain_key()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());
        var name = Name("func-a");
        var lines = (await ReadAsync(archive.LogContainer, name)).Split('\n')[..^1];

        // Rewrite line 2 and recompute the keyed chain: the worst case, an insider with the key.
        var rebuilt = new StringBuilder();
        var previous = _chainKey.Genesis(name);
        foreach (var (line, index) in lines.Select((l, i) => (l, i)))
        {
            var record = AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(line));
            record = record with { PreviousHash = previous, Event = index == 1 ? record.Event with { Bytes = 999 } : record.Event };
            var bytes = AuditLineSerializer.Serialize(record);
            previous = _chainKey.Mac(bytes);
            rebuilt.Append(Encoding.UTF8.GetString(bytes)).Append('\n');
        }

        await ReplaceAsync(archive.LogContainer, name, rebuilt.ToString());

        var chains = await new AuditLogVerifier(archive.Log, archive.ChainKey).VerifyAsync(null, null, Ct);
        var (findings, _) = await archive.Verifier().VerifyAsync(null, null, Ct);

        Assert.True(chains.IsIntact, "the recomputed chain itself verifies; only the seal can tell");
        var finding = Assert.Single(findings);
        Assert.Equal(("blob-rewritten", name), (finding.KindName, finding.BlobName));
    }

    [Fact]
    public async Task A_truncated_blob_is_truncated()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());
        var name = Name("func-b");
        var lines = (await ReadAsync(archive.LogContainer, name)).Split('\n')[..^1];
        await ReplaceAsync(archive.LogContainer, name, string.Join('\n', lines[..2]) + "\n");

        var findings = await archive.VerifyAllAsync();

        var finding = Assert.Single(findings);
        Assert.Equal(("truncated", name, 3), (finding.KindName, finding.BlobName, finding.LineNumber));
        Assert.Equal("3 lines/" + lines.Sum(l => l.Length + 1) + " bytes", finding.Expected);
    }

    [Fact]
    public async Task Deleting_the_only_disclosure_record_is_blob_deleted()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());
        var name = Name("func-export");
        Assert.Contains("\"eventId\":110106", await ReadAsync(archive.LogContainer, name), StringComparison.Ordinal);
        await archive.LogContainer.DeleteBlobAsync(name, cancellationToken: Ct);

        var findings = await archive.VerifyAllAsync();

        var finding = Assert.Single(findings);
        Assert.Equal(("blob-deleted", name), (finding.KindName, finding.BlobName));
    }

    [Fact]
    public async Task A_blob_recreated_empty_is_truncated()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());
        var name = Name("func-a");
        await ReplaceAsync(archive.LogContainer, name, string.Empty);

        var findings = await archive.VerifyAllAsync();

        var finding = Assert.Single(findings);
        Assert.Equal(("truncated", name), (finding.KindName, finding.BlobName));
        Assert.Contains("recreated", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_hour_without_a_seal_is_seal_missing()
    {
        var archive = await NewArchiveAsync();
        using (var writer = archive.Writer("func-a"))
        {
            await writer.AppendAsync(Event(1), Ct);
        }

        archive.Clock.Now = Hour.AddHours(1).AddMinutes(10);
        Assert.Empty(await archive.VerifyAllAsync());

        archive.Clock.Now = Hour.AddHours(4);
        var finding = Assert.Single(await archive.VerifyAllAsync());
        Assert.Equal(("seal-missing", "2026/11/22/10.json"), (finding.KindName, finding.BlobName));
    }

    [Fact]
    public async Task A_deleted_seal_inside_the_chain_is_seal_missing_and_a_seal_chain_gap()
    {
        var archive = await NewArchiveAsync();
        using (var writer = archive.Writer("func-a"))
        {
            await writer.AppendAsync(Event(1), Ct);
        }

        archive.Clock.Now = Hour.AddHours(3).AddMinutes(10);
        using (var sealWriter = archive.Writer("func-seal"))
        {
            var run = await archive.Sealer(sealWriter).SealDueAsync(Timer, null, Ct);
            Assert.Equal(3, run.Created);
        }

        await archive.SealContainer.DeleteBlobAsync("2026/11/22/11.json", cancellationToken: Ct);
        archive.Clock.Now = Hour.AddHours(3).AddMinutes(20);

        var findings = await archive.VerifyAllAsync();

        Assert.Equal(
            [("seal-chain-gap", "2026/11/22/12.json"), ("seal-missing", "2026/11/22/11.json")],
            findings.Select(f => (f.KindName, f.BlobName)).Order());
    }

    [Fact]
    public async Task A_seal_whose_first_seal_was_deleted_is_a_seal_chain_gap()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());
        archive.Clock.Now = Hour.AddHours(2).AddMinutes(10);
        using (var sealWriter = archive.Writer("func-seal"))
        {
            Assert.Equal(1, (await archive.Sealer(sealWriter).SealDueAsync(Timer, null, Ct)).Created);
        }

        await archive.SealContainer.DeleteBlobAsync("2026/11/22/10.json", cancellationToken: Ct);
        archive.Clock.Now = Hour.AddHours(5);

        var kinds = (await archive.VerifyAllAsync()).Select(f => f.KindName).ToList();

        Assert.Contains("seal-chain-gap", kinds);
        Assert.Contains("seal-missing", kinds);
    }

    [Fact]
    public async Task An_altered_seal_is_seal_signature_invalid()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());
        const string name = "2026/11/22/10.json";
        var seal = await ReadAsync(archive.SealContainer, name);
        var altered = seal.Replace("\"lines\":7,", "\"lines\":6,", StringComparison.Ordinal);
        Assert.NotEqual(seal, altered);
        await archive.SealContainer.DeleteBlobAsync(name, cancellationToken: Ct);
        await archive.SealContainer.UploadBlobAsync(name, BinaryData.FromString(altered), Ct);

        var (findings, _) = await archive.Verifier().VerifyAsync(null, null, Ct);

        var finding = Assert.Single(findings);
        Assert.Equal(("seal-signature-invalid", name), (finding.KindName, finding.BlobName));
    }

    [Fact]
    public async Task A_seal_signed_by_another_key_is_seal_signature_invalid()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());
        var otherDirectory = Directory.CreateTempSubdirectory("seal-key-other-").FullName;
        try
        {
            using var other = new LocalAuditSealSigner(Path.Combine(otherDirectory, LocalAuditSealSigner.FileName));

            var (findings, _) = await new AuditSealVerifier(archive.Log, archive.Seals, other, archive.Clock).VerifyAsync(null, null, Ct);

            Assert.Equal("seal-signature-invalid", Assert.Single(findings).KindName);
        }
        finally
        {
            Directory.Delete(otherDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Re_running_finds_the_seal_and_verifies_it_instead_of_rewriting()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());
        var before = await ReadAsync(archive.SealContainer, "2026/11/22/10.json");
        using var sealWriter = archive.Writer("func-seal-2");
        var sealer = archive.Sealer(sealWriter);

        var again = await sealer.SealHourAsync(Hour, Timer, null, Ct);
        var sweep = await sealer.SealDueAsync(Timer, null, Ct);

        Assert.False(again.Created);
        Assert.Empty(again.Findings);
        Assert.Empty(sweep.Outcomes);
        Assert.Equal(before, await ReadAsync(archive.SealContainer, "2026/11/22/10.json"));
    }

    [Fact]
    public async Task Re_sealing_a_tampered_hour_reports_it_and_keeps_the_original_seal()
    {
        var archive = await SealedHourAsync(await NewArchiveAsync());
        var before = await ReadAsync(archive.SealContainer, "2026/11/22/10.json");
        await archive.LogContainer.DeleteBlobAsync(Name("func-export"), cancellationToken: Ct);
        using var sealWriter = archive.Writer("func-seal-2");

        var again = await archive.Sealer(sealWriter).SealHourAsync(Hour, Timer, null, Ct);

        Assert.False(again.Created);
        Assert.Equal("blob-deleted", Assert.Single(again.Findings).KindName);
        Assert.Equal(before, await ReadAsync(archive.SealContainer, "2026/11/22/10.json"));
    }

    [Fact]
    public async Task A_sweep_interrupted_between_hours_resumes_to_the_same_chain()
    {
        var archive = await NewArchiveAsync();
        using (var writer = archive.Writer("func-a"))
        {
            await writer.AppendAsync(Event(1), Ct);
            archive.Clock.Now = Hour.AddHours(1).AddMinutes(1);
            await writer.AppendAsync(Event(2), Ct);
            archive.Clock.Now = Hour.AddHours(2).AddMinutes(1);
            await writer.AppendAsync(Event(3), Ct);
        }

        archive.Clock.Now = Hour.AddHours(3).AddMinutes(10);
        using var sealWriter = archive.Writer("func-seal");
        var oneAtATime = new AuditSealOptions { MaxHoursPerRun = 1 };

        var first = await archive.Sealer(sealWriter, oneAtATime).SealDueAsync(Timer, null, Ct);
        var rest = await archive.Sealer(sealWriter).SealDueAsync(Timer, null, Ct);
        var none = await archive.Sealer(sealWriter).SealDueAsync(Timer, null, Ct);

        Assert.True(first.MoreDue);
        Assert.Equal([Hour], first.Outcomes.Select(o => o.Hour));
        Assert.Equal([Hour.AddHours(1), Hour.AddHours(2)], rest.Outcomes.Select(o => o.Hour));
        Assert.Empty(none.Outcomes);
        Assert.Equal([1L, 1, 1], first.Outcomes.Concat(rest.Outcomes).Select(o => o.Seal.Lines));
        Assert.Empty(await archive.VerifyAllAsync());
    }

    [Fact]
    public async Task An_open_hour_is_not_sealed()
    {
        var archive = await NewArchiveAsync();
        using (var writer = archive.Writer("func-a"))
        {
            await writer.AppendAsync(Event(1), Ct);
        }

        archive.Clock.Now = Hour.AddHours(1).AddMinutes(2);
        using var sealWriter = archive.Writer("func-seal");
        var sealer = archive.Sealer(sealWriter);

        await Assert.ThrowsAsync<AuditSealException>(() => sealer.SealHourAsync(Hour, Timer, null, Ct));
        Assert.Empty((await sealer.SealDueAsync(Timer, null, Ct)).Outcomes);
    }

    [Fact]
    public async Task An_hour_cannot_be_sealed_before_the_hours_ahead_of_it()
    {
        var archive = await NewArchiveAsync();
        using (var writer = archive.Writer("func-a"))
        {
            await writer.AppendAsync(Event(1), Ct);
        }

        archive.Clock.Now = Hour.AddHours(5);
        using var sealWriter = archive.Writer("func-seal");

        await Assert.ThrowsAsync<AuditSealException>(() => archive.Sealer(sealWriter).SealHourAsync(Hour.AddHours(2), Timer, null, Ct));
    }

    [Fact]
    public async Task The_running_writer_does_not_rechain_onto_a_tampered_tail()
    {
        var archive = await NewArchiveAsync();
        using var writer = archive.Writer("func-a");
        await writer.AppendAsync(Event(1), Ct);
        await writer.AppendAsync(Event(2), Ct);
        var name = Name("func-a");
        var first = (await ReadAsync(archive.LogContainer, name)).Split('\n')[0];
        await ReplaceAsync(archive.LogContainer, name, first + "\n");

        await writer.AppendAsync(Event(3), Ct);

        Assert.Equal(first + "\n", await ReadAsync(archive.LogContainer, name));
        var alert = AuditLineSerializer.Parse(Encoding.UTF8.GetBytes((await ReadAsync(archive.LogContainer, Name("func-a-r1"))).Split('\n')[0]));
        Assert.Equal(AuditEventType.SecurityAlert, alert.Event.EventType);
        Assert.Contains("tamper=truncated", alert.Event.Details);
    }
}
