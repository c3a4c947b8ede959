using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary><c>audit verify</c> and <c>audit query</c> over a real audit log on Azurite (one Azurite per class: tests share the audit container).</summary>
public sealed class AuditCommandTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public AuditCommandTests(AzuriteFixture azurite) => _azurite = azurite;

    [Fact]
    public async Task Verify_reports_an_intact_log_then_a_modified_line_at_the_line_after_it_with_exit_code_1()
    {
        var ct = TestContext.Current.CancellationToken;
        var blobName = await AuditLogFixtureWriter.WriteAsync(_azurite.Connection, "verify-writer", 4, ct);

        var intact = await OperationsCli.RunAsync("audit", "verify", "--connection-string", _azurite.ConnectionString);
        Assert.True(intact.ExitCode == 0, intact.Output + intact.Error);
        Assert.Contains("intact", intact.Output, StringComparison.Ordinal);

        // Tamper: change one character of line 2, keeping the JSON valid and the length unchanged.
        // The audit log is an append blob: the rewrite below must keep it one, or the writer could not append to it.
        var blob = _azurite.Connection.Blobs.GetBlobContainerClient("audit").GetAppendBlobClient(blobName);
        var text = (await blob.DownloadContentAsync(ct)).Value.Content.ToString();

        Assert.Contains("\"corr-2\"", text, StringComparison.Ordinal);
        var tampered = Encoding.UTF8.GetBytes(text.Replace("\"corr-2\"", "\"corr-9\"", StringComparison.Ordinal));
        await blob.DeleteAsync(cancellationToken: ct);
        await blob.CreateAsync(cancellationToken: ct);
        await blob.AppendBlockAsync(new MemoryStream(tampered), cancellationToken: ct);

        var result = await OperationsCli.RunAsync("audit", "verify", "--connection-string", _azurite.ConnectionString);

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
        await AuditLogFixtureWriter.WriteAsync(_azurite.Connection, "query-writer", 6, ct);

        var imports = await OperationsCli.RunAsync("audit", "query", "--event", "110107", "--actor", "svc:cloudarchive-ingest", "--json", "--connection-string", _azurite.ConnectionString);
        Assert.True(imports.ExitCode == 0, imports.Error);
        var lines = imports.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
        Assert.True(lines.Count >= 3);
        Assert.All(lines, l => Assert.Equal(110107, l.RootElement.GetProperty("eventId").GetInt32()));
        Assert.All(lines, l => Assert.Equal(AuditLogFixtureWriter.StudyA, l.RootElement.GetProperty("study").GetString()));

        var exports = await OperationsCli.RunAsync("audit", "query", "--study", AuditLogFixtureWriter.StudyB, "--json", "--connection-string", _azurite.ConnectionString);
        Assert.True(exports.ExitCode == 0, exports.Error);
        var exportLines = exports.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
        Assert.True(exportLines.Count >= 3);
        Assert.All(exportLines, l => Assert.Equal(110106, l.RootElement.GetProperty("eventId").GetInt32()));

        var table = await OperationsCli.RunAsync("audit", "query", "--study", AuditLogFixtureWriter.StudyB, "--connection-string", _azurite.ConnectionString);
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
        var result = await OperationsCli.RunAsync("audit", "query", option, value, "--connection-string", _azurite.ConnectionString);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_and_query_are_themselves_audited_as_audit_log_used()
    {
        var ct = TestContext.Current.CancellationToken;
        await AuditLogFixtureWriter.WriteAsync(_azurite.Connection, "used-writer", 1, ct);
        await OperationsCli.RunAsync("audit", "verify", "--connection-string", _azurite.ConnectionString);

        var used = await OperationsCli.RunAsync("audit", "query", "--event", "110101", "--json", "--connection-string", _azurite.ConnectionString);

        Assert.True(used.ExitCode == 0, used.Error);
        Assert.Contains("\"audit-verify\"", used.Output, StringComparison.Ordinal);
        Assert.Contains("cli:cloudarchive", used.Output, StringComparison.Ordinal);
    }
}
