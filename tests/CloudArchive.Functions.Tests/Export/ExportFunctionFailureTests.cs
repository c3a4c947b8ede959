using System.Runtime.CompilerServices;
using CloudArchive.Azure.Composition;
using CloudArchive.Functions.Export;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Publication;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>
/// The function's failure behaviour: a failing dependency fails the invocation (the exception propagates, so the host
/// makes the message visible again and retries), a retry completes, and invalid export settings stop the start.
/// </summary>
public sealed class ExportFunctionFailureTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public ExportFunctionFailureTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failing_research_store_fails_the_invocation_so_the_host_retries_and_the_retry_completes()
    {
        var store = new FailingResearchStore();
        await using var app = await ExportApp.StartAsync(_azurite, services: s => s.AddSingleton<IResearchStore>(store));
        await app.IngestAsync("gw/x.dcm", await SampleInstances.CopyAsync("CT_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 5, withAddress: false));
        await app.Consents.PutAsync(new ConsentRecord { PatientPseudonym = await app.PseudonymAsync($"{SampleInstances.Planted}ID5"), Status = ConsentStatus.Active, Purposes = ["HRESCH"], Source = "cli", RecordedAt = DateTimeOffset.UtcNow, RecordedBy = "cli:cloudarchive" }, Ct);
        Assert.True(await app.Agreements.TryCreateAsync(new DataSharingAgreement { Id = "flaky-cohort", PurposeOfUse = "HRESCH", Recipients = ["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"], ValidFrom = DateTimeOffset.UtcNow.AddDays(-1), ValidUntil = DateTimeOffset.UtcNow.AddDays(1), CopyRetention = "P1Y", CreatedAt = DateTimeOffset.UtcNow.AddDays(-1), CreatedBy = "cli:cloudarchive" }, Ct));

        // One delivery through the middleware: the failure propagates (the host would retry) and is logged by type.
        store.Fail = true;
        await Assert.ThrowsAsync<IOException>(() => app.DeliverExportAsync(ExportApp.Request("flaky-cohort")));
        Assert.Contains(app.Logs.Lines, l => l.Contains("ExportResearchCopies", StringComparison.Ordinal) && l.Contains("failed with IOException", StringComparison.Ordinal));

        // The same through the local host's queue listener: the failed message is made visible again, not deleted; the
        // next delivery (dequeue count 2) completes and deletes it.
        var queue = app.Connection.Queues.GetQueueClient(AzuriteFixture.UniqueName("exq"));
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
        await queue.SendMessageAsync(Payloads.Base64(ExportApp.Request("flaky-cohort")), cancellationToken: Ct);
        var options = new LocalHostOptions { RetryDelay = TimeSpan.Zero, VisibilityTimeout = TimeSpan.FromSeconds(30) };
        var listener = new LocalQueueListener(app.Connection.Queues, queue.Name, app.Invoker.Catalog.Get(ExportResearchCopies.Name), app.Invoker, options, TimeProvider.System, NullLogger.Instance);

        var failed = Assert.Single((await queue.ReceiveMessagesAsync(1, options.VisibilityTimeout, Ct)).Value);
        Assert.Equal(QueueDeliveryOutcome.WillRetry, await listener.ProcessAsync(failed, Ct));

        store.Fail = false;
        var retried = Assert.Single((await queue.ReceiveMessagesAsync(1, options.VisibilityTimeout, Ct)).Value);
        Assert.Equal(2L, retried.DequeueCount);
        Assert.Equal(QueueDeliveryOutcome.Completed, await listener.ProcessAsync(retried, Ct));
        Assert.Equal(0, (await queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
        Assert.Contains(app.Logs.Lines, l => l.Contains("agreement flaky-cohort:", StringComparison.Ordinal) && l.Contains("written 1", StringComparison.Ordinal));
        Assert.Single(store.Names, n => n.EndsWith(".dcm", StringComparison.Ordinal));
        Assert.DoesNotContain(SampleInstances.Planted, app.Logs.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "MaxParallelism")]
    [InlineData("many", "MaxParallelism")]
    [InlineData(null, "different containers")]
    public void Invalid_export_settings_stop_the_local_host_with_one_message(string? parallelism, string expected)
    {
        var keyDirectory = TestArchiveSettings.NewKeyDirectory();
        try
        {
            var settings = LocalHostArchive.Settings("UseDevelopmentStorage=true", keyDirectory, LocalHostArchive.UniqueContainers());
            settings[ExportSettings.MaxParallelismKey] = parallelism;
            if (parallelism is null)
            {
                settings["CloudArchive:Containers:Control"] = "shared";
                settings["CloudArchive:Containers:Research"] = "shared";
            }

            var ex = Assert.Throws<ArchiveConfigurationException>(() => LocalHostApp.Build(LocalHostArchive.Args, builder => builder.Configuration.AddInMemoryCollection(settings)));
            Assert.Contains(expected, Assert.Single(ex.Problems), StringComparison.Ordinal);
        }
        finally
        {
            TestArchiveSettings.DeleteDirectory(keyDirectory);
        }
    }

    [Fact]
    public void Export_settings_default_to_the_documented_containers_and_parallelism()
    {
        var settings = CloudArchiveSettings.Read(_ => null, "/");
        Assert.Equal(("control", "research", 2), (settings.Containers.Control, settings.Containers.Research, settings.Export.MaxParallelism));
    }

    private sealed class FailingResearchStore : IResearchStore
    {
        private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

        public bool Fail { get; set; }

        public IReadOnlyCollection<string> Names
        {
            get
            {
                lock (_blobs)
                {
                    return _blobs.Keys.ToList();
                }
            }
        }

        public async Task PutAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new IOException("injected");
            }

            var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            lock (_blobs)
            {
                _blobs[name] = buffer.ToArray();
            }
        }

        public Task<ResearchBlob?> OpenReadAsync(string name, CancellationToken cancellationToken)
        {
            lock (_blobs)
            {
                return Task.FromResult(_blobs.TryGetValue(name, out var b) ? new ResearchBlob(new MemoryStream(b), b.Length) : null);
            }
        }

        public async IAsyncEnumerable<ResearchBlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var name in Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                yield return new ResearchBlobInfo(name, 0);
            }
        }

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
        {
            lock (_blobs)
            {
                return Task.FromResult(_blobs.Remove(name));
            }
        }
    }
}
