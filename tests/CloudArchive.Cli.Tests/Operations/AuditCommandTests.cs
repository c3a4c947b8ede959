using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>
/// <c>audit verify</c>, <c>audit query</c> and <c>audit seal</c> over a real audit log on Azurite; each test has its own
/// audit, seals and keyring containers and local keys (the chain key lives in the keyring).
/// </summary>
public sealed class AuditCommandTests : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-audit-" + Guid.NewGuid().ToString("N"));
    private readonly string _settings;
    private readonly string _audit = AzuriteFixture.UniqueName("au");
    private readonly string _seals = AzuriteFixture.UniqueName("se");
    private readonly string _keyring = AzuriteFixture.UniqueName("kr");

    public AuditCommandTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(Path.Combine(_dir, "kek"));
        _settings = Path.Combine(_dir, "settings.env");
        File.WriteAllLines(_settings,
        [
            "CloudArchive__Storage__ConnectionString=" + azurite.ConnectionString,
            "CloudArchive__Keys__Provider=Local",
            "CloudArchive__Keys__LocalKeyFile=" + Path.Combine(_dir, "kek"),
            "CloudArchive__Containers__Keyring=" + _keyring,
            "CloudArchive__Containers__Audit=" + _audit,
            "CloudArchive__Containers__Seals=" + _seals,
        ]);
    }

    public async ValueTask InitializeAsync()
    {
        foreach (var name in new[] { _audit, _seals, _keyring })
        {
            await _azurite.Connection.Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Verify_reports_an_intact_log_then_a_modified_line_at_the_line_after_it_with_exit_code_1()
    {
        var ct = TestContext.Current.CancellationToken;
        var blobName = await AuditLogFixtureWriter.WriteAsync(_settings, "verify-writer", 4, ct);

        var intact = await OperationsCli.RunAsync("audit", "verify", "--settings", _settings);
        Assert.True(intact.ExitCode == 0, intact.Output + intact.Error);
        Assert.Contains("intact", intact.Output, StringComparison.Ordinal);

        // Tamper: change one character of line 2, keeping the JSON valid and the length unchanged.
        // The audit log is an append blob: the rewrite below must keep it one, or the writer could not append to it.
        var blob = _azurite.Connection.Blobs.GetBlobContainerClient(_audit).GetAppendBlobClient(blobName);
        var text = (await blob.DownloadContentAsync(ct)).Value.Content.ToString();

        Assert.Contains("\"corr-2\"", text, StringComparison.Ordinal);
        var tampered = Encoding.UTF8.GetBytes(text.Replace("\"corr-2\"", "\"corr-9\"", StringComparison.Ordinal));
        await blob.DeleteAsync(cancellationToken: ct);
        await blob.CreateAsync(cancellationToken: ct);
        await blob.AppendBlockAsync(new MemoryStream(tampered), cancellationToken: ct);

        var result = await OperationsCli.RunAsync("audit", "verify", "--settings", _settings);

        Assert.Equal(1, result.ExitCode);
        var findings = result.Output.Split('\n').Where(l => l.StartsWith(blobName + ":", StringComparison.Ordinal)).ToList();
        var finding = Assert.Single(findings);
        Assert.StartsWith($"{blobName}:3: chain-broken", finding, StringComparison.Ordinal);
        Assert.Contains("line 2", finding, StringComparison.Ordinal);

        // Put the original back so the other tests of this class see an intact log.
        await blob.DeleteAsync(cancellationToken: ct);
        await blob.CreateAsync(cancellationToken: ct);
        await blob.AppendBlockAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), cancellationToken: ct);
    }

    [Fact]
    public async Task Query_filters_by_event_study_and_actor_and_prints_stored_lines_as_json()
    {
        var ct = TestContext.Current.CancellationToken;
        await AuditLogFixtureWriter.WriteAsync(_settings, "query-writer", 6, ct);

        var imports = await OperationsCli.RunAsync("audit", "query", "--event", "110107", "--actor", "svc:cloudarchive-ingest", "--json", "--settings", _settings);
        Assert.True(imports.ExitCode == 0, imports.Error);
        var lines = imports.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
        Assert.True(lines.Count >= 3);
        Assert.All(lines, l => Assert.Equal(110107, l.RootElement.GetProperty("eventId").GetInt32()));
        Assert.All(lines, l => Assert.Equal(AuditLogFixtureWriter.StudyA, l.RootElement.GetProperty("study").GetString()));

        var exports = await OperationsCli.RunAsync("audit", "query", "--study", AuditLogFixtureWriter.StudyB, "--json", "--settings", _settings);
        Assert.True(exports.ExitCode == 0, exports.Error);
        var exportLines = exports.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
        Assert.True(exportLines.Count >= 3);
        Assert.All(exportLines, l => Assert.Equal(110106, l.RootElement.GetProperty("eventId").GetInt32()));

        var table = await OperationsCli.RunAsync("audit", "query", "--study", AuditLogFixtureWriter.StudyB, "--settings", _settings);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("110106", table.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("110107", table.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--study", "1.2.840.113619.2.55.3")]
    [InlineData("--action", "X")]
    [InlineData("--event", "123")]
    [InlineData("--from", "yesterday")]
    public async Task Query_rejects_invalid_filters_with_exit_code_2(string option, string value)
    {
        var result = await OperationsCli.RunAsync("audit", "query", option, value, "--settings", _settings);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_and_query_are_themselves_audited_as_audit_log_used()
    {
        var ct = TestContext.Current.CancellationToken;
        await AuditLogFixtureWriter.WriteAsync(_settings, "used-writer", 1, ct);
        await OperationsCli.RunAsync("audit", "verify", "--settings", _settings);

        var used = await OperationsCli.RunAsync("audit", "query", "--event", "110101", "--json", "--settings", _settings);

        Assert.True(used.ExitCode == 0, used.Error);
        Assert.Contains("\"audit-verify\"", used.Output, StringComparison.Ordinal);
        Assert.Contains("cli:cloudarchive", used.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seal_seals_the_closed_hours_and_verify_then_reports_a_deleted_blob_as_json_with_exit_code_1()
    {
        var ct = TestContext.Current.CancellationToken;
        var past = new PastClock(TimeSpan.FromHours(3));
        var blobName = await AuditLogFixtureWriter.WriteAsync(_settings, "sealed-writer", 3, ct, past);

        var seal = await OperationsCli.RunAsync("audit", "seal", "--json", "--settings", _settings);
        Assert.True(seal.ExitCode == 0, seal.Output + seal.Error);
        var sealRun = JsonDocument.Parse(seal.Output).RootElement;
        Assert.True(sealRun.GetProperty("sealed").GetInt32() >= 2);
        Assert.Equal(3, sealRun.GetProperty("hours")[0].GetProperty("lines").GetInt64());

        var again = await OperationsCli.RunAsync("audit", "seal", "--json", "--settings", _settings);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Equal(0, JsonDocument.Parse(again.Output).RootElement.GetProperty("sealed").GetInt32());

        var intact = await OperationsCli.RunAsync("audit", "verify", "--json", "--settings", _settings);
        Assert.True(intact.ExitCode == 0, intact.Output + intact.Error);
        var report = JsonDocument.Parse(intact.Output).RootElement;
        Assert.True(report.GetProperty("intact").GetBoolean());
        Assert.True(report.GetProperty("seals").GetInt32() >= 2);

        await _azurite.Connection.Blobs.GetBlobContainerClient(_audit).DeleteBlobAsync(blobName, cancellationToken: ct);

        var tampered = await OperationsCli.RunAsync("audit", "verify", "--json", "--settings", _settings);
        Assert.Equal(1, tampered.ExitCode);
        var finding = Assert.Single(JsonDocument.Parse(tampered.Output).RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("blob-deleted", finding.GetProperty("kind").GetString());
        Assert.Equal(blobName, finding.GetProperty("blob").GetString());
    }

    [Fact]
    public async Task Verify_reports_a_closed_unsealed_hour_as_seal_missing()
    {
        var ct = TestContext.Current.CancellationToken;
        await AuditLogFixtureWriter.WriteAsync(_settings, "unsealed-writer", 1, ct, new PastClock(TimeSpan.FromHours(4)));

        var result = await OperationsCli.RunAsync("audit", "verify", "--settings", _settings);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(": seal-missing: ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sealing_the_open_hour_is_a_usage_error()
    {
        var hour = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH':00Z'", System.Globalization.CultureInfo.InvariantCulture);

        var result = await OperationsCli.RunAsync("audit", "seal", "--hour", hour, "--settings", _settings);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not closed", result.Error, StringComparison.Ordinal);
    }

    private sealed class PastClock(TimeSpan ago) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow - ago;
    }
}
