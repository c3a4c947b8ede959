using System.Net;
using System.Net.Sockets;
using CloudArchive.Azure.Composition;
using CloudArchive.Functions.LocalHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>How the local host starts: where it listens, and that a bad setting or policy stops it with one message naming the problem.</summary>
public sealed class LocalHostStartupTests : IDisposable
{
    private readonly string _keys = TestArchiveSettings.NewKeyDirectory();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => TestArchiveSettings.DeleteDirectory(_keys);

    private static Exception BuildFails(IDictionary<string, string?> settings) =>
        Assert.ThrowsAny<Exception>(() =>
        {
            using var app = LocalHostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
            {
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(settings);
            });
        });

    private Dictionary<string, string?> Valid()
    {
        var settings = TestArchiveSettings.For("UseDevelopmentStorage=true", _keys);
        settings["CloudArchive:Storage:CreateContainers"] = "false";
        settings["LocalHost:RunTriggers"] = "false";
        return settings;
    }

    [Fact]
    public async Task LocalHost_Urls_binds_the_host_to_that_address()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var server = await HandlerServer.StartAsync(new FakeIngestHandler(), [], new Dictionary<string, string?> { ["LocalHost:Urls"] = $"http://127.0.0.1:{port}" });

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), server.Client.BaseAddress);
        using var response = await server.Client.GetAsync("/admin/host/status", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("LocalHost:MaxDequeueCount", "0", "MaxDequeueCount must be between 1 and 1000")]
    [InlineData("LocalHost:MaxConcurrency", "33", "MaxConcurrency must be between 1 and 32")]
    [InlineData("LocalHost:VisibilityTimeout", "00:00:00.500", "VisibilityTimeout must be between 1 s and 7 days")]
    [InlineData("LocalHost:ParentProcessId", "-4", "ParentProcessId must be a process id")]
    [InlineData("LocalHost:Queues:ExportResearchCopies", "ingest-events-local", "Queues entries must differ")]
    public void An_invalid_local_host_setting_stops_the_start_naming_it(string key, string value, string problem)
    {
        var settings = Valid();
        settings["LocalHost:Queues:IngestInstance"] = "ingest-events-local";
        settings[key] = value;

        var ex = Assert.IsType<InvalidOperationException>(BuildFails(settings));

        Assert.Contains("LocalHost: " + problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_settings_build_the_host()
    {
        using var app = LocalHostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(Valid());
        });

        Assert.NotNull(app);
    }

    [Fact]
    public async Task An_invalid_policy_file_stops_the_start_with_a_message_naming_the_file_and_problem()
    {
        var bad = Path.Combine(Path.GetTempPath(), "ca-bad-retention-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(bad, """{"schema":"cloudarchive/retention-policy/v1","name":"x","rules":[{"id":"r","description":"d","period":"P1.5Y"}]}""", Ct);
        try
        {
            var settings = Valid();
            settings[CloudArchiveSettings.SettingKeys.RetentionFiles] = bad;

            var ex = BuildFails(settings);

            Assert.Contains(Path.GetFileName(bad), ex.Message, StringComparison.Ordinal);
            Assert.Contains("$.rules[0].period", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public void Invalid_key_and_limit_settings_are_all_reported_at_once()
    {
        var settings = Valid();
        settings[KeySettings.ProviderKey] = "Vault";
        settings[CloudArchiveSettings.SettingKeys.MaxInstanceBytes] = "-1";
        settings[CloudArchiveSettings.SettingKeys.AllowedSopClasses] = "1.2.840.10008.5.1.4.1.1.2;1.02.3";
        settings[CloudArchiveSettings.SettingKeys.RetentionFiles] = null;

        var ex = Assert.IsType<ArchiveConfigurationException>(BuildFails(settings));

        Assert.Contains("CloudArchive:Keys:Provider must be KeyVault or Local", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CloudArchive:Ingest:MaxInstanceBytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CloudArchive:Ingest:AllowedSopClasses", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CloudArchive:Policies:RetentionFiles", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, ex.Problems.Count);
    }

    [Fact]
    public void Without_a_tenant_and_an_audience_the_host_does_not_start_there_is_no_unauthenticated_mode()
    {
        var settings = Valid();
        settings[AuthSettings.TenantIdKey] = null;
        settings[AuthSettings.AudienceKey] = null;
        settings[AuthSettings.DevelopmentIssuerKeyDirectoryKey] = null;

        var ex = Assert.IsType<ArchiveConfigurationException>(BuildFails(settings));

        Assert.Contains(AuthSettings.TenantIdKey, ex.Message, StringComparison.Ordinal);
        Assert.Contains(AuthSettings.AudienceKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_development_issuer_with_a_non_loopback_listen_URL_stops_the_start()
    {
        var settings = Valid();
        settings["LocalHost:Urls"] = "http://0.0.0.0:0";

        var ex = Assert.IsType<ArchiveConfigurationException>(BuildFails(settings));

        Assert.Contains("non-loopback", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_development_issuer_stops_the_start_when_Kestrel_binds_a_non_loopback_address_whatever_configured_it()
    {
        // The listen URLs say loopback; a Kestrel endpoint overrides them with every interface. The settings check cannot
        // see that, the check of what Kestrel actually bound does.
        var settings = Valid();
        settings["Kestrel:Endpoints:Everyone:Url"] = "http://0.0.0.0:0";
        await using var app = LocalHostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(settings);
        });

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(Ct));

        Assert.Contains("non-loopback address", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_provider_must_be_named_and_a_local_key_directory_must_exist()
    {
        var unnamed = Valid();
        unnamed[KeySettings.ProviderKey] = null;
        var missing = Valid();
        missing[KeySettings.LocalKeyFileKey] = Path.Combine(_keys, "no-such-directory");

        var noProvider = Assert.IsType<ArchiveConfigurationException>(BuildFails(unnamed));
        var noDirectory = Assert.IsType<ArchiveConfigurationException>(BuildFails(missing));

        Assert.Contains("CloudArchive:Keys:Provider is not set", noProvider.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-directory does not exist", noDirectory.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_keys, "no-such-directory")));
    }

    [Fact]
    public async Task Unreachable_storage_at_start_up_is_logged_and_the_host_still_answers()
    {
        var settings = Valid();
        settings["CloudArchive:Storage:CreateContainers"] = "true";
        settings["CloudArchive:Storage:MaxRetries"] = "0";
        settings["CloudArchive:Storage:ConnectionString"] =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        var logs = new LogRecorder();
        await using var app = LocalHostApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            builder.Configuration.AddInMemoryCollection(settings);
        });

        await app.StartAsync(Ct);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var response = await client.GetAsync("/admin/host/status", Ct);
        await app.StopAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(logs.Entries, e => e.Message.Contains("storage unreachable", StringComparison.Ordinal));
    }
}
