using System.Security.Cryptography;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Commands.Doctor;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary><c>status</c> and <c>doctor</c> against a private Azurite laid out like the archive.</summary>
public sealed class StatusAndDoctorTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "ca-doctor-keys-" + Guid.NewGuid().ToString("N"));

    private const string BadId = "baaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string OldId = "oaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string NewId = "naaaaaaaaaaaaaaaaaaaaaaaaa";

    public StatusAndDoctorTests(AzuriteFixture azurite) => _azurite = azurite;

    private static byte[] Reason(string id, string code, string message, string time) => new QuarantineRecord
    {
        Id = id,
        Reason = code,
        Message = message,
        Time = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture),
        RetainUntil = "2026-12-31",
        EncryptedUnder = QuarantineKeyKinds.Quarantine,
    }.ToJson();

    public void Dispose()
    {
        if (Directory.Exists(_keys))
        {
            Directory.Delete(_keys, recursive: true);
        }
    }

    [Fact]
    public async Task Status_shows_counts_per_container_queue_depths_incl_poison_quarantine_reasons_and_last_audit_write()
    {
        var ct = TestContext.Current.CancellationToken;
        var blobs = _azurite.Connection.Blobs;
        await UploadAsync("incoming", "gw/one.dcm", [1, 2, 3]);
        await UploadAsync("incoming", "gw/two.dcm", [4, 5]);
        await UploadAsync("quarantine", QuarantineNames.Copy(BadId), [9]);
        await UploadAsync("quarantine", QuarantineNames.Reason(BadId), Reason(BadId, "not-part10", "no DICM prefix", "2026-11-22T01:00:00Z"));
        var queue = _azurite.Connection.Queues.GetQueueClient("ingest-events");
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        await queue.SendMessageAsync("{}", cancellationToken: ct);
        await queue.SendMessageAsync("{}", cancellationToken: ct);
        var poison = _azurite.Connection.Queues.GetQueueClient("ingest-events-poison");
        await poison.CreateIfNotExistsAsync(cancellationToken: ct);
        await poison.SendMessageAsync("{}", cancellationToken: ct);
        await AuditLogFixtureWriter.WriteAsync(_azurite.Connection, "status-writer", 1, ct);

        var result = await OperationsCli.RunAsync("status", "--connection-string", _azurite.ConnectionString);

        // A message in a poison queue needs someone's attention: exit 1.
        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        var lines = result.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Function app: not-configured", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("export-requests ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("export-requests-poison", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Incoming", StringComparison.Ordinal) && l.Contains(" 2 ", StringComparison.Ordinal) && l.Contains(" 5 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Quarantine", StringComparison.Ordinal) && l.Contains(" 1 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("ingest-events ", StringComparison.Ordinal) && l.Contains(" 2 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("ingest-events-poison", StringComparison.Ordinal) && l.Contains(" 1 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(BadId, StringComparison.Ordinal) && l.Contains("not-part10", StringComparison.Ordinal) && l.Contains('d', StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Last audit write: " + DateTime.UtcNow.Year, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_json_reports_a_running_function_app_both_work_queues_and_quarantine_newest_first()
    {
        var ct = TestContext.Current.CancellationToken;
        await UploadAsync("quarantine", QuarantineNames.Reason(OldId), Reason(OldId, "not-dicom", "m1", "2026-11-01T00:00:00Z"));
        await UploadAsync("quarantine", QuarantineNames.Reason(NewId), Reason(NewId, "empty", "m2", "2026-11-20T00:00:00Z"));
        using var app = new HostStatusServer(System.Net.HttpStatusCode.OK);
        var settings = Path.Combine(Path.GetTempPath(), "ca-status-" + Guid.NewGuid().ToString("N") + ".env");
        await File.WriteAllTextAsync(settings, $"CloudArchive__ResearchApi__Url={app.BaseUrl}\n", ct);
        try
        {
            var result = await OperationsCli.RunAsync("status", "--json", "--settings", settings, "--connection-string", _azurite.ConnectionString);

            var root = System.Text.Json.JsonDocument.Parse(result.Output).RootElement;
            // The class's Azurite is shared: another test may have left a poison message, which is exit 1.
            Assert.Equal(root.GetProperty("needsAttention").GetBoolean() ? 1 : 0, result.ExitCode);
            Assert.Equal("running", root.GetProperty("functionApp").GetProperty("state").GetString());
            Assert.Equal(["ingest-events", "ingest-events-poison", "export-requests", "export-requests-poison"], root.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString()!).ToArray());
            var recent = root.GetProperty("recentQuarantine").EnumerateArray().ToList();
            var ids = recent.Select(q => q.GetProperty("id").GetString()!).ToArray();
            Assert.True(Array.IndexOf(ids, NewId) >= 0 && Array.IndexOf(ids, NewId) < Array.IndexOf(ids, OldId), string.Join(", ", ids));
            Assert.All(recent, q => Assert.False(q.TryGetProperty("upload", out _)));
            Assert.True(recent.Single(q => q.GetProperty("id").GetString() == OldId).GetProperty("ageHours").GetInt64() > 24);
            Assert.Equal(1, app.Requests);
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Fact]
    public async Task Status_says_the_function_app_is_down_and_exits_1_when_nothing_answers_at_its_url()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = Path.Combine(Path.GetTempPath(), "ca-status-" + Guid.NewGuid().ToString("N") + ".env");
        await File.WriteAllTextAsync(settings, $"CloudArchive__ResearchApi__Url=http://127.0.0.1:{UploadCommandTests.FreePort()}/\n", ct);
        try
        {
            var result = await OperationsCli.RunAsync("status", "--settings", settings, "--connection-string", _azurite.ConnectionString);

            Assert.True(result.ExitCode == 1, result.Output + result.Error);
            Assert.Contains("Function app: down", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Fact]
    public async Task Doctor_passes_with_a_warning_for_the_local_key_when_everything_is_in_place_and_fails_on_a_missing_container()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var container in new[] { "incoming", "archive", "quarantine", "keyring", "research", "audit", "control", "seals" })
        {
            await _azurite.Connection.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: ct);
        }

        foreach (var queue in new[] { "ingest-events", "ingest-events-poison", "export-requests", "export-requests-poison" })
        {
            await _azurite.Connection.Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: ct);
        }

        Directory.CreateDirectory(_keys);
        await File.WriteAllTextAsync(Path.Combine(_keys, "v1.pem"), "placeholder: doctor checks presence only", ct);
        var root = RepositoryPaths.FindRoot();
        var settings = ArchiveSettings.FromValues(new Dictionary<string, string>
        {
            ["CloudArchive:Storage:ConnectionString"] = _azurite.ConnectionString,
            ["CloudArchive:Keys:Provider"] = "Local",
            ["CloudArchive:Keys:LocalKeyFile"] = _keys,
            ["CloudArchive:Policies:RetentionFiles"] = "data/policies/retention/default.json;data/policies/retention/uk-nhs-england.json",
            ["CloudArchive:Policies:MinimizationFile"] = "data/policies/minimization/default.json",
        }, "test");

        var checks = await ArchiveDoctor.RunAsync(settings, root, ct);

        Assert.DoesNotContain(checks, c => c.Severity == DoctorSeverity.Fail);
        var warning = Assert.Single(checks, c => c.Severity == DoctorSeverity.Warn);
        Assert.Contains("INSECURE", warning.Detail, StringComparison.Ordinal);
        Assert.Contains(checks, c => c.Check == "retention and minimization" && c.Severity == DoctorSeverity.Ok);

        var wrongContainer = ArchiveSettings.FromValues(new Dictionary<string, string>
        {
            ["CloudArchive:Storage:ConnectionString"] = _azurite.ConnectionString,
            ["CloudArchive:Containers:Archive"] = "no-such-archive",
            ["CloudArchive:Keys:Provider"] = "KeyVault",
            ["CloudArchive:Keys:KeyId"] = "http://not-https/keys/k",
            ["CloudArchive:Policies:RetentionFiles"] = "data/policies/retention/missing.json",
            ["CloudArchive:Policies:MinimizationFile"] = "data/policies/minimization/default.json",
        }, "test");
        var failing = await ArchiveDoctor.RunAsync(wrongContainer, root, ct);

        Assert.Contains(failing, c => c.Check == "container no-such-archive" && c.Severity == DoctorSeverity.Fail);
        Assert.Contains(failing, c => c.Area == "keys" && c.Severity == DoctorSeverity.Fail);
        Assert.Contains(failing, c => c.Area == "policies" && c.Severity == DoctorSeverity.Fail && c.Detail.Contains("missing.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_command_exits_1_and_says_why_when_storage_is_unreachable()
    {
        var port = UploadCommandTests.FreePort();
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Azure.Storage.StorageApi.DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

        var result = await OperationsCli.RunAsync("doctor", "--connection-string", connection);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL", result.Output, StringComparison.Ordinal);
        Assert.Contains("not reachable", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Azure.Storage.StorageApi.DevelopmentAccountKey, result.Output, StringComparison.Ordinal);

        var json = await OperationsCli.RunAsync("doctor", "--json", "--connection-string", connection);

        Assert.Equal(1, json.ExitCode);
        var root = System.Text.Json.JsonDocument.Parse(json.Output).RootElement;
        Assert.True(root.GetProperty("failed").GetInt32() >= 1);
        Assert.Contains(root.GetProperty("checks").EnumerateArray(), c => c.GetProperty("severity").GetString() == "fail" && c.GetProperty("detail").GetString()!.Contains("not reachable", StringComparison.Ordinal));
        Assert.DoesNotContain(Azure.Storage.StorageApi.DevelopmentAccountKey, json.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("account key")]
    [InlineData("SAS")]
    public async Task Doctor_fails_the_transport_check_for_a_secret_over_plain_http_to_another_host_without_printing_the_secret(string credential)
    {
        var (connection, secrets) = InsecureConnectionString(credential);

        var result = await OperationsCli.RunAsync("doctor", "--connection-string", connection);

        Assert.Equal(CloudArchive.Cli.Commands.Common.ExitCodes.Attention, result.ExitCode);
        var transport = Assert.Single(result.Output.Split('\n'), l => l.Contains(" transport ", StringComparison.Ordinal));
        Assert.Contains("FAIL", transport, StringComparison.Ordinal);
        Assert.Contains("plain HTTP", transport, StringComparison.Ordinal);
        Assert.Contains("storage.example.invalid", transport, StringComparison.Ordinal);
        AssertNoSecret(result, secrets);
    }

    [Theory]
    [InlineData("account key")]
    [InlineData("SAS")]
    public async Task Status_with_a_secret_over_plain_http_to_another_host_is_a_usage_error_naming_the_problem_not_the_secret(string credential)
    {
        var (connection, secrets) = InsecureConnectionString(credential);

        var result = await OperationsCli.RunAsync("status", "--connection-string", connection);

        Assert.Equal(CloudArchive.Cli.Commands.Common.ExitCodes.Usage, result.ExitCode);
        Assert.Contains("plain HTTP", result.Error, StringComparison.Ordinal);
        Assert.Contains("storage.example.invalid", result.Error, StringComparison.Ordinal);
        Assert.Contains(credential == "SAS" ? "shared access signature" : "Shared Key signature", result.Error, StringComparison.Ordinal);
        AssertNoSecret(result, secrets);
    }

    [Fact]
    public async Task Doctor_passes_the_transport_check_for_the_test_Azurite_on_loopback_http()
    {
        // The premise: the test Azurite is reached with a Shared Key over plain http on a loopback address.
        Assert.Equal(Uri.UriSchemeHttp, _azurite.Connection.BlobServiceUri.Scheme);
        Assert.True(_azurite.Connection.BlobServiceUri.IsLoopback);

        var result = await OperationsCli.RunAsync("doctor", "--connection-string", _azurite.ConnectionString);

        var transport = Assert.Single(result.Output.Split('\n'), l => l.Contains(" transport ", StringComparison.Ordinal));
        Assert.Contains("OK", transport, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", transport, StringComparison.Ordinal);
        Assert.Contains("Shared Key over plain http", transport, StringComparison.Ordinal);
        Assert.Contains(result.Output.Split('\n'), l => l.Contains("reachable and authorized", StringComparison.Ordinal) && l.Contains("OK", StringComparison.Ordinal));
    }

    /// <summary>
    /// A connection string whose blob and queue endpoints are plain HTTP on a host that is not this machine (".invalid"
    /// never resolves, so nothing could be sent even if the check let it through), with a random account key or a SAS
    /// with a random signature; also returns what must never be printed.
    /// </summary>
    private static (string Connection, string[] Secrets) InsecureConnectionString(string credential)
    {
        const string endpoints = "BlobEndpoint=http://storage.example.invalid/acct;QueueEndpoint=http://storage.example.invalid/acct-queues;";
        if (credential == "SAS")
        {
            var signature = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var sas = $"sv=2025-05-05&ss=bq&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&sig={Uri.EscapeDataString(signature)}";
            return (endpoints + "SharedAccessSignature=" + sas, [signature, Uri.EscapeDataString(signature), signature[..12]]);
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        return (endpoints + "AccountName=acct;AccountKey=" + key, [key, key[..12]]);
    }

    private static void AssertNoSecret(OperationsCli.Result result, string[] secrets)
    {
        var printed = result.Output + result.Error;
        Assert.DoesNotContain("sig=", printed, StringComparison.OrdinalIgnoreCase);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, printed, StringComparison.Ordinal);
        }
    }

    private async Task UploadAsync(string container, string name, byte[] content)
    {
        var c = _azurite.Connection.Blobs.GetBlobContainerClient(container);
        await c.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        await c.GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true, TestContext.Current.CancellationToken);
    }
}
