using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Ingest;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Fixity;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Functions.Tests.Lifecycle;

/// <summary>
/// The fixity sweep against Azurite over instances ingested by the real app: coverage rotates across runs until the
/// whole archive is verified once per period; an interrupted run resumes and ends in the same state; a corrupted blob
/// (a flipped ciphertext byte, a truncation, a changed <c>ca_plainlength</c>) is found, raises 110113 and an error log,
/// and <c>status</c> shows a <c>fixity-failed</c> finding until a later sweep finds the blob intact again.
/// </summary>
public sealed class FixitySweepTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public FixitySweepTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Coverage_rotates_across_daily_runs_so_every_blob_is_verified_exactly_once_per_period_then_a_new_cycle_starts()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = await StartAsync(clock, period: "4.00:00:00", interval: "1.00:00:00");
        var archived = await IngestAsync(app, 6);
        var sweeper = app.Services.GetRequiredService<FixitySweeper>();

        var covered = new List<int>();
        for (var day = 0; day < 4; day++)
        {
            var run = await sweeper.RunAsync($"fixity-day-{day}", Ct);
            Assert.Equal(1, run.Cycle);
            Assert.Equal(day * 256, run.FirstBucket);
            Assert.Equal(256, run.BucketsDone);
            Assert.Equal(0, run.Failed);
            Assert.Equal(day == 3, run.CycleComplete);
            covered.Add(run.BucketsDone);

            // The same day again: nothing more is due.
            Assert.Equal(0, (await sweeper.RunAsync($"fixity-day-{day}-again", Ct)).BucketsDone);
            clock.Advance(TimeSpan.FromDays(1));
        }

        var results = await BucketResultsAsync(app, 1);
        Assert.Equal(archived.Select(BucketOf).Distinct().Count(), results.Buckets); // empty buckets leave no record
        Assert.Equal(archived.OrderBy(n => n, StringComparer.Ordinal), results.Blobs.Select(r => r.BlobName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(results.Blobs, r => Assert.Equal(FixityOutcome.Intact, r.Outcome));
        var state = (await app.Services.GetRequiredService<IFixityStore>().GetStateAsync(Ct))!.Value.State;
        Assert.Equal(archived.Count, state.Verified);
        Assert.True(state.IsComplete);

        var next = await sweeper.RunAsync("fixity-cycle-2", Ct);
        Assert.Equal(2, next.Cycle);
        Assert.Equal(0, next.FirstBucket);
        Assert.Equal(256, next.BucketsDone);

        var audit = await new ArchiveInspector(app).AuditLinesAsync();
        var runs = audit.Where(l => l.Record.Event.Details.Contains("fixity-sweep")).ToList();
        Assert.Equal(5, runs.Count);
        Assert.All(runs, l => Assert.Equal(AuditEventType.InstancesAccessed, l.Record.Event.EventType));
        Assert.Contains(runs, l => l.Record.Event.Details.Contains("cycle-complete"));
    }

    [Fact]
    public async Task An_interrupted_sweep_resumes_at_the_unfinished_bucket_and_ends_in_the_same_state()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        FaultyArchiveStore? faulty = null;
        await using var app = await StartAsync(clock, period: "01:00:00", interval: "01:00:00", services: (services, containers) => services.AddSingleton<IArchiveStore>(
            faulty = new FaultyArchiveStore(new BlobArchiveStore(_azurite.Connection.Blobs.GetBlobContainerClient(containers.Archive), _azurite.Connection.Options))));
        var archived = await IngestAsync(app, 5);
        var sweeper = app.Services.GetRequiredService<FixitySweeper>();
        var store = app.Services.GetRequiredService<IFixityStore>();

        faulty!.CrashOnRead(4);
        await Assert.ThrowsAsync<IOException>(() => sweeper.RunAsync("fixity-interrupted", Ct));
        var interrupted = (await store.GetStateAsync(Ct))!.Value.State;
        Assert.InRange(interrupted.NextBucket, 1, FixityKeySpace.BucketCount - 1);
        Assert.Equal(archived.Count(n => BucketOf(n) < interrupted.NextBucket), interrupted.Verified);
        Assert.True(interrupted.Verified < 4, "the bucket being verified when the run died is not counted");

        faulty.Heal();
        var resumed = await sweeper.RunAsync("fixity-resumed", Ct);
        Assert.Equal(interrupted.NextBucket, resumed.FirstBucket);
        Assert.True(resumed.CycleComplete);
        var state = (await store.GetStateAsync(Ct))!.Value.State;
        Assert.Equal(archived.Count, state.Verified);
        Assert.Equal(0, state.Failed);
        var results = await BucketResultsAsync(app, 1);
        Assert.Equal(archived.Select(BucketOf).Distinct().Count(), results.Buckets); // empty buckets leave no record
        Assert.Equal(archived.OrderBy(n => n, StringComparer.Ordinal), results.Blobs.Select(r => r.BlobName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("flip", "tampered")]
    [InlineData("truncate", "truncated")]
    [InlineData("plainlength", "trailing-data")]
    public async Task A_corrupted_archive_blob_is_found_raises_110113_and_status_shows_fixity_failed_until_it_verifies_again(string corruption, string problem)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = await StartAsync(clock, period: "01:00:00", interval: "01:00:00");
        var archived = await IngestAsync(app, 3);
        var victim = archived[1];
        var blob = app.Archive.GetBlobClient(victim);
        var original = await app.ReadAllAsync(app.Archive, victim);
        var metadata = (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value.Metadata;
        switch (corruption)
        {
            case "flip":
                var flipped = original.ToArray();
                flipped[flipped.Length / 2] ^= 0x01;
                await blob.UploadAsync(new BinaryData(flipped), new BlobUploadOptions { Metadata = metadata }, Ct);
                break;
            case "truncate":
                await blob.UploadAsync(new BinaryData(original.AsMemory(0, original.Length - 100)), new BlobUploadOptions { Metadata = metadata }, Ct);
                break;
            default:
                var edited = new Dictionary<string, string>(metadata) { ["ca_plainlength"] = (long.Parse(metadata["ca_plainlength"], System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                await blob.SetMetadataAsync(edited, cancellationToken: Ct);
                break;
        }

        var sweeper = app.Services.GetRequiredService<FixitySweeper>();
        var run = await sweeper.RunAsync("fixity-corrupt", Ct);
        Assert.Equal(1, run.Failed);
        Assert.Equal(archived.Count - 1, run.Verified);

        var finding = Assert.Single(await ListFindingsAsync(app));
        Assert.Equal(victim, finding.BlobName);
        Assert.Equal(problem, finding.Problem);
        var audit = await new ArchiveInspector(app).AuditLinesAsync();
        var alert = Assert.Single(audit, l => l.Record.Event.EventType == AuditEventType.SecurityAlert);
        Assert.Contains("fixity-failed", alert.Record.Event.Details);
        Assert.Contains("problem=" + problem, alert.Record.Event.Details);
        Assert.Equal(AuditOutcome.MajorFailure, alert.Record.Event.Outcome);
        Assert.Equal(ArchiveBlobKeys.TryParse(victim)!.Instance, alert.Record.Event.Instance);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.EventId.Id == LifecycleLogEvents.FixityFailed.Id);

        var status = await StatusAsync(app);
        Assert.Equal(1, status.ExitCode);
        var findings = status.Json["findings"]!.AsArray();
        var shown = Assert.Single(findings)!;
        Assert.Equal("fixity-failed", shown["kind"]!.GetValue<string>());
        Assert.Equal(victim, shown["subject"]!.GetValue<string>());
        Assert.Equal(problem, shown["problem"]!.GetValue<string>());

        var sweepStatus = await CliJsonAsync(app, "fixity", "status");
        Assert.Equal(1, sweepStatus.ExitCode);
        Assert.Equal(FixityKeySpace.BucketCount, sweepStatus.Json["nextBucket"]!.GetValue<int>());
        Assert.Equal(problem, Assert.Single(sweepStatus.Json["findings"]!.AsArray())!["problem"]!.GetValue<string>());

        // Found again on the next cycle: still one finding, no second alert for the same open finding.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await sweeper.RunAsync("fixity-corrupt-again", Ct)).Failed);
        Assert.Single(await ListFindingsAsync(app));
        Assert.Single(await new ArchiveInspector(app).AuditLinesAsync(), l => l.Record.Event.EventType == AuditEventType.SecurityAlert);

        // Restored from a good copy: the next run re-checks the finding, resolves it, and status is clear.
        await blob.UploadAsync(new BinaryData(original), new BlobUploadOptions { Metadata = metadata }, Ct);
        clock.Advance(TimeSpan.FromHours(1));
        var healed = await sweeper.RunAsync("fixity-restored", Ct);
        Assert.Equal(1, healed.Resolved);
        Assert.Equal(0, healed.Failed);
        Assert.Empty(await ListFindingsAsync(app));
        Assert.Contains(await new ArchiveInspector(app).AuditLinesAsync(), l => l.Record.Event.Details.Contains("fixity-resolved"));
        var clear = await StatusAsync(app);
        Assert.Empty(clear.Json["findings"]!.AsArray());
        Assert.Equal(0, (await CliJsonAsync(app, "fixity", "status")).ExitCode);
    }

    private Task<IngestApp> StartAsync(ManualClock clock, string period, string interval, Action<IServiceCollection, CloudArchive.Azure.Composition.ArchiveContainerNames>? services = null) =>
        IngestApp.StartAsync(
            _azurite,
            (collection, containers) =>
            {
                collection.AddSingleton<TimeProvider>(clock);
                services?.Invoke(collection, containers);
            },
            new Dictionary<string, string?> { ["CloudArchive:Fixity:Period"] = period, ["CloudArchive:Fixity:RunInterval"] = interval });

    /// <summary>Uploads and ingests <paramref name="count"/> instances of three studies; returns their archive blob names.</summary>
    private static async Task<List<string>> IngestAsync(IngestApp app, int count)
    {
        var studies = new[] { SampleInstances.NewUid(), SampleInstances.NewUid(), SampleInstances.NewUid() };
        for (var i = 0; i < count; i++)
        {
            var name = $"gw/{i}.dcm";
            await app.UploadAsync(name, await SampleInstances.CopyAsync("CT_small.dcm", studies[i % 3], SampleInstances.NewUid(), i % 3, withAddress: false));
            Assert.Equal(IngestOutcome.Archived, (await app.DeliverAsync(name)).Outcome);
        }

        var blobs = (await app.ListAsync(app.Archive, "studies/")).Select(b => b.Name).ToList();
        Assert.Equal(count, blobs.Count);
        return blobs;
    }

    private static int BucketOf(string blobName) =>
        Enumerable.Range(0, FixityKeySpace.BucketCount).Single(b => blobName.StartsWith("studies/" + FixityKeySpace.Prefix(b), StringComparison.Ordinal));

    private static async Task<(int Buckets, List<FixityResult> Blobs)> BucketResultsAsync(IngestApp app, int cycle)
    {
        var store = app.Services.GetRequiredService<IFixityStore>();
        var prefix = $"fixity/cycles/{cycle:D6}/";
        var records = await app.ListAsync(app.Container("Control"), prefix);
        var blobs = new List<FixityResult>();
        foreach (var record in records)
        {
            var bucket = int.Parse(record.Name.AsSpan(prefix.Length, 4), System.Globalization.CultureInfo.InvariantCulture);
            var read = await store.GetBucketAsync(cycle, bucket, Ct);
            blobs.AddRange(read!.Results);
        }

        return (records.Count, blobs);
    }

    private static async Task<List<FixityFinding>> ListFindingsAsync(IngestApp app)
    {
        var findings = new List<FixityFinding>();
        await foreach (var finding in app.Services.GetRequiredService<IFixityStore>().ListFindingsAsync(Ct))
        {
            findings.Add(finding);
        }

        return findings;
    }

    private Task<(int ExitCode, JsonNode Json)> StatusAsync(IngestApp app) => CliJsonAsync(app, "status");

    private async Task<(int ExitCode, JsonNode Json)> CliJsonAsync(IngestApp app, params string[] command)
    {
        var settings = Path.Combine(app.KeyDirectory, "status.env");
        await File.WriteAllLinesAsync(settings, CloudArchive.Azure.Composition.ArchiveContainerNames.Roles.Select(r => $"CloudArchive__Containers__{r}={app.Containers.For(r)}"), Ct);
        var (code, output, error) = await InProcessCli.RunAsync([.. command, "--json", "--connection-string", _azurite.ConnectionString, "--settings", settings]);
        Assert.True(output.Length > 0, error);
        return (code, JsonNode.Parse(output)!);
    }
}
