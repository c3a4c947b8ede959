using System.Text;
using System.Text.Json;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Tests.Operations;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Quarantine;

/// <summary>
/// <c>quarantine list|show|retry|release</c> against Azurite, with uploads quarantined by the ingest composed from the
/// same settings the CLI reads.
/// </summary>
public sealed class QuarantineCommandsTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-quarantine-cli-" + Guid.NewGuid().ToString("N"));
    private readonly string _settings;
    private readonly Dictionary<string, string> _containers = new()
    {
        ["Incoming"] = AzuriteFixture.UniqueName("in"),
        ["Archive"] = AzuriteFixture.UniqueName("ar"),
        ["Quarantine"] = AzuriteFixture.UniqueName("qu"),
        ["Keyring"] = AzuriteFixture.UniqueName("kr"),
        ["Audit"] = AzuriteFixture.UniqueName("au"),
        ["Control"] = AzuriteFixture.UniqueName("co"),
        ["Research"] = AzuriteFixture.UniqueName("re"),
    };

    public QuarantineCommandsTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(Path.Combine(_dir, "kek"));
        _settings = Path.Combine(_dir, "settings.env");
        File.WriteAllLines(_settings,
        [
            "CloudArchive__Storage__ConnectionString=" + azurite.ConnectionString,
            "CloudArchive__Keys__Provider=Local",
            "CloudArchive__Keys__LocalKeyFile=" + Path.Combine(_dir, "kek"),
            "CloudArchive__Policies__RetentionFiles=" + Path.Combine(RepositoryPaths.FindRoot(), "data/policies/retention/default.json"),
            "CloudArchive__Policies__MinimizationFile=" + Path.Combine(RepositoryPaths.FindRoot(), "data/policies/minimization/default.json"),
            .. _containers.Select(c => $"CloudArchive__Containers__{c.Key}={c.Value}"),
        ]);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task List_show_retry_and_release_work_by_id_never_print_upload_names_and_are_audited()
    {
        var empty = await QuarantineAsync("gw/DOE_JOHN_MRN123456.dcm", []);
        var text = await QuarantineAsync("gw/DOE_JANE_MRN654321.txt", Encoding.ASCII.GetBytes("PLANTED free text"));

        var list = await OperationsCli.RunAsync("quarantine", "list", "--settings", _settings);
        var json = await OperationsCli.RunAsync("quarantine", "list", "--json", "--settings", _settings);
        var show = await OperationsCli.RunAsync("quarantine", "show", text, "--json", "--settings", _settings);
        var retry = await OperationsCli.RunAsync("quarantine", "retry", text, "--settings", _settings);
        var release = await OperationsCli.RunAsync("quarantine", "release", empty, "--reason", "test-upload", "--settings", _settings);
        var again = await OperationsCli.RunAsync("quarantine", "release", empty, "--reason", "test-upload", "--settings", _settings);

        Assert.True(list.ExitCode == 0, list.Error + list.Output);
        Assert.Contains(empty, list.Output, StringComparison.Ordinal);
        Assert.Contains(text, list.Output, StringComparison.Ordinal);
        Assert.Contains("not-dicom", list.Output, StringComparison.Ordinal);
        foreach (var output in new[] { list.Output, json.Output, show.Output, retry.Output })
        {
            Assert.DoesNotContain("DOE_", output, StringComparison.Ordinal);
            Assert.DoesNotContain("PLANTED", output, StringComparison.Ordinal);
        }

        var entries = JsonDocument.Parse(json.Output).RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal([text, empty], entries.Select(e => e.GetProperty("id").GetString()));
        Assert.All(entries, e => Assert.Equal(0, e.GetProperty("ageHours").GetInt64()));

        Assert.True(show.ExitCode == 0, show.Error + show.Output);
        var header = JsonDocument.Parse(show.Output).RootElement.GetProperty("header");
        Assert.False(header.GetProperty("part10").GetBoolean());
        Assert.Equal(17, header.GetProperty("length").GetInt64());

        Assert.True(retry.ExitCode == 0, retry.Error + retry.Output);
        Assert.Contains("retry/" + text + ".dcm", retry.Output, StringComparison.Ordinal);
        var incoming = _azurite.Connection.Blobs.GetBlobContainerClient(_containers["Incoming"]).GetBlobClient("retry/" + text + ".dcm");
        Assert.Equal("PLANTED free text", (await incoming.DownloadContentAsync(Ct)).Value.Content.ToString());

        Assert.True(release.ExitCode == 0, release.Error + release.Output);
        Assert.Equal(ExitCodes.Refused, again.ExitCode);

        using var services = ArchiveServices.Open(ArchiveSettings.Load(null, _settings));
        var events = new List<AuditEvent>();
        await foreach (var entry in new AuditLogQuery(new CloudArchive.Azure.Audit.BlobAuditLogStore(_azurite.Connection.Blobs.GetBlobContainerClient(_containers["Audit"]))).QueryAsync(new AuditQueryFilter { Actor = "cli:cloudarchive" }, Ct))
        {
            events.Add(entry.Record.Event);
        }

        // One line per action (each CLI process writes its own audit blob, so they are compared as a set).
        Assert.Equal(
            ["quarantine-listed:Query", "quarantine-listed:Query", "quarantine-released:StudyDeleted", "quarantine-retried:InstancesTransferred", "quarantine-shown:InstancesAccessed"],
            events.Select(e => e.Details.FirstOrDefault(d => d.StartsWith("quarantine-", StringComparison.Ordinal) && d != "quarantine-key-created") is { } d ? $"{d}:{e.EventType}" : null).OfType<string>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Release_needs_a_reason_code_and_ids_must_be_quarantine_ids()
    {
        var noReason = await OperationsCli.RunAsync("quarantine", "release", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "--settings", _settings);
        var freeText = await OperationsCli.RunAsync("quarantine", "release", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "--reason", "because I said so", "--settings", _settings);
        var badId = await OperationsCli.RunAsync("quarantine", "show", "gw/DOE_JOHN.dcm", "--settings", _settings);
        var unknown = await OperationsCli.RunAsync("quarantine", "show", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "--settings", _settings);

        Assert.Equal(ExitCodes.Usage, noReason.ExitCode);
        Assert.Equal(ExitCodes.Usage, freeText.ExitCode);
        Assert.Equal(ExitCodes.Usage, badId.ExitCode);
        Assert.True(unknown.ExitCode == ExitCodes.Refused, unknown.Error + unknown.Output);
        Assert.Contains("No quarantined upload", unknown.Error, StringComparison.Ordinal);
    }

    private async Task<string> QuarantineAsync(string name, byte[] content)
    {
        var incoming = _azurite.Connection.Blobs.GetBlobContainerClient(_containers["Incoming"]);
        await incoming.CreateIfNotExistsAsync(cancellationToken: Ct);
        await incoming.UploadBlobAsync(name, BinaryData.FromBytes(content), Ct);
        using var services = ArchiveServices.Open(ArchiveSettings.Load(null, _settings));
        foreach (var container in services.Settings.Containers.All)
        {
            await _azurite.Connection.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: Ct);
        }

        var result = await services.Get<IngestService>().IngestAsync(
            new IngestRequest { Container = _containers["Incoming"], BlobName = name, EventId = Guid.NewGuid().ToString(), CorrelationId = Guid.NewGuid().ToString() },
            Ct);
        Assert.Equal(IngestOutcome.Quarantined, result.Outcome);
        return result.QuarantineId!;
    }
}
