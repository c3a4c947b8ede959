using System.Net;
using System.Runtime.CompilerServices;
using CloudArchive.Core.Research.Agreements;
using CloudArchive.Core.Research.Consent;
using CloudArchive.Core.Research.Publication;
using CloudArchive.Functions.Composition;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>The function's failure answers: 500 (retried) when a dependency fails, 503 without an exporter, and the configuration check.</summary>
public sealed class ExportFunctionFailureTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public ExportFunctionFailureTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failing_research_store_answers_500_so_the_host_retries_and_a_retry_completes()
    {
        var store = new FailingResearchStore();
        await using var app = await ExportApp.StartAsync(_azurite, services: s => s.AddSingleton<IResearchStore>(store));
        await app.IngestAsync("gw/x.dcm", await SampleInstances.CopyAsync("CT_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 5, withAddress: false));
        await app.Consents.PutAsync(new ConsentRecord { PatientPseudonym = await app.PseudonymAsync($"{SampleInstances.Planted}ID5"), Status = ConsentStatus.Active, Purposes = ["HRESCH"], Source = "cli", RecordedAt = DateTimeOffset.UtcNow, RecordedBy = "cli:cloudarchive" }, Ct);
        Assert.True(await app.Agreements.TryCreateAsync(new DataSharingAgreement { Id = "flaky-cohort", PurposeOfUse = "HRESCH", Recipients = ["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"], ValidFrom = DateTimeOffset.UtcNow.AddDays(-1), ValidUntil = DateTimeOffset.UtcNow.AddDays(1), CopyRetention = "P1Y", CreatedAt = DateTimeOffset.UtcNow.AddDays(-1), CreatedBy = "cli:cloudarchive" }, Ct));

        store.Fail = true;
        var (status, logs) = await app.ExportAsync(ExportApp.Request("flaky-cohort"));
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("will be retried: IOException", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(SampleInstances.Planted, logs, StringComparison.Ordinal);

        store.Fail = false;
        (status, logs) = await app.ExportAsync(ExportApp.Request("flaky-cohort"));
        Assert.True(status == HttpStatusCode.OK, logs);
        Assert.Contains("written 1", logs, StringComparison.Ordinal);
        Assert.Single(store.Names, n => n.EndsWith(".dcm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_research_registration_the_function_answers_503()
    {
        await using var app = await ExportApp.StartAsync(_azurite, research: false);
        var (status, logs) = await app.ExportAsync(ExportApp.Request("any-cohort"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("no research exporter is configured", logs, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "MaxParallelism")]
    [InlineData("many", "MaxParallelism")]
    [InlineData(null, "different containers")]
    public void Invalid_research_settings_stop_the_start_with_one_message(string? parallelism, string expected)
    {
        var values = new Dictionary<string, string?>
        {
            [ResearchSettings.Keys.MaxParallelism] = parallelism,
            [ResearchSettings.Keys.ControlContainer] = parallelism is null ? "shared" : null,
            [ResearchSettings.Keys.ResearchContainer] = parallelism is null ? "shared" : null,
        };
        var ex = Assert.Throws<InvalidOperationException>(() => ResearchSettings.Read(k => values.GetValueOrDefault(k), "/"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Research_settings_default_to_the_documented_containers()
    {
        var settings = ResearchSettings.Read(_ => null, "/");
        Assert.Equal(("control", "research", 2), (settings.ControlContainer, settings.ResearchContainer, settings.MaxParallelism));
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
