using System.Text.Json;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb.Stow;

/// <summary>
/// <c>cloudarchive upload --dicomweb</c> against the app over real HTTP: files go by STOW-RS in batches, each file is
/// reported with what the archive answered for it, and the exit codes follow <c>ExitCodes</c>.
/// </summary>
public sealed class UploadDicomWebCliTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-stowcli-" + Guid.NewGuid().ToString("N"));

    public UploadDicomWebCliTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(_dir);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Files_are_sent_in_batches_and_each_is_reported_archived_duplicate_failed_or_skipped_with_exit_1()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var study = SampleInstances.NewUid();
        var instance = await SampleInstances.CopyAsync("CT_small.dcm", study, SampleInstances.NewUid(), 0, withAddress: false);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "first.dcm"), instance, Ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "other.dcm"), await SampleInstances.CopyAsync("MR_small.dcm", study, SampleInstances.NewUid(), 0, withAddress: false), Ct);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "cut.dcm"), instance[..1000], Ct);
        await File.WriteAllTextAsync(Path.Combine(_dir, "notes.dcm"), "not an image\n", Ct);
        string[] files = [Path.Combine(_dir, "first.dcm"), Path.Combine(_dir, "other.dcm"), Path.Combine(_dir, "cut.dcm"), Path.Combine(_dir, "notes.dcm")];
        (await RunAsync(app, [.. files[..1]])).AssertExit(0);

        var result = await RunAsync(app, [.. files, "--batch-size", "2", "--json"]);

        result.AssertExit(1);
        var rows = JsonDocument.Parse(result.Output).RootElement.EnumerateArray()
            .ToDictionary(r => Path.GetFileName(r.GetProperty("file").GetString()!), r => (Outcome: r.GetProperty("outcome").GetString(), Reason: r.GetProperty("reason").GetString()));
        Assert.Equal("duplicate", rows["first.dcm"].Outcome);
        Assert.Equal("archived", rows["other.dcm"].Outcome);
        Assert.Equal("failed", rows["cut.dcm"].Outcome);
        Assert.Equal("0xC000", rows["cut.dcm"].Reason);
        Assert.Equal("skipped", rows["notes.dcm"].Outcome);
        Assert.Equal(2, (await app.ListAsync(app.Archive, "studies/")).Count);
        Assert.Empty(await app.ListAsync(app.Incoming));
    }

    [Fact]
    public async Task Every_file_stored_exits_0_and_a_caller_without_the_upload_role_exits_4()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var file = Path.Combine(_dir, "one.dcm");
        await File.WriteAllBytesAsync(file, await SampleInstances.CopyAsync("MR_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 1, withAddress: false), Ct);

        (await RunAsync(app, [file])).AssertExit(0);

        var token = StowRequests.Token(app, StowRequests.NewCaller(), "Research.Read");
        var refused = await InProcessCli.RunAsync(["upload", file, "--dicomweb", new Uri(app.Address, "api/dicomweb").ToString(), "--token", token]);
        Assert.True(refused.ExitCode == 4, refused.Output + refused.Error);
        Assert.Contains("403", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_service_exits_3_and_no_token_source_is_a_usage_error()
    {
        var file = Path.Combine(_dir, "one.dcm");
        await File.WriteAllBytesAsync(file, await File.ReadAllBytesAsync(SampleInstances.SamplePath("MR_small.dcm"), Ct), Ct);
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var unreachable = await InProcessCli.RunAsync(["upload", file, "--dicomweb", $"http://127.0.0.1:{port}/api/dicomweb", "--token", "x"]);
        Assert.True(unreachable.ExitCode == 3, unreachable.Output + unreachable.Error);

        var usage = await InProcessCli.RunAsync(["upload", file, "--dicomweb", "https://example.org/api/dicomweb"]);
        Assert.True(usage.ExitCode == 2, usage.Output + usage.Error);
    }

    private async Task<CliResult> RunAsync(IngestApp app, string[] args)
    {
        var settings = Path.Combine(_dir, "cli.env");
        await File.WriteAllTextAsync(settings, $"CloudArchive__Auth__DevelopmentIssuerKeyDirectory={TestArchiveSettings.DevelopmentIssuerDirectory(app.KeyDirectory)}{Environment.NewLine}", Ct);
        var (code, output, error) = await InProcessCli.RunAsync(["upload", .. args, "--dicomweb", new Uri(app.Address, "api/dicomweb").ToString(), "--dev-principal", StowRequests.NewCaller(), "--settings", settings]);
        return new CliResult(code, output, error);
    }

    private sealed record CliResult(int ExitCode, string Output, string Error)
    {
        public void AssertExit(int expected) => Assert.True(ExitCode == expected, $"exit {ExitCode}\n{Output}\n{Error}");
    }
}
