using System.Diagnostics;
using System.Text.Json;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Packaging;

/// <summary>
/// The README's set-up step, <c>tools/install-cli.sh</c>, publishes the CLI as one native binary (NativeAOT where a C
/// toolchain exists). This builds it the way a user does and runs the commands whose code paths differ under AOT:
/// JSON written without reflection (reports, <c>--json</c>), storage through the Azure SDK, usage errors.
/// </summary>
public sealed class NativeCliTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-native-" + Guid.NewGuid().ToString("N"));

    public NativeCliTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_installed_binary_runs_dump_deid_upload_and_status_like_the_jit_build()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("tools/install-cli.sh is tested on Linux");
        }

        var root = RepositoryPaths.FindRoot();
        var bin = Path.Combine(_dir, "bin");
        var install = await RunAsync(Path.Combine(root, "tools", "install-cli.sh"), root, bin);
        Assert.True(install.Code == 0, install.Error);
        Assert.Equal($"export PATH=\"{bin}:$PATH\"", install.Output.Trim());
        var cli = Path.Combine(bin, "cloudarchive");
        Assert.True(File.Exists(cli));

        var help = await RunAsync(cli, _dir, "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("Exit codes:", help.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await RunAsync(cli, _dir, "frobnicate")).Code);

        var sample = Path.Combine(root, "testdata", "dicom", "CT_small.dcm");
        var dump = await RunAsync(cli, _dir, "dicom", "dump", sample);
        Assert.Equal(0, dump.Code);
        Assert.Equal((await Operations.OperationsCli.RunAsync("dicom", "dump", sample)).Output, dump.Output);

        var secret = Path.Combine(_dir, "secret");
        await File.WriteAllTextAsync(secret, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)), TestContext.Current.CancellationToken);
        var deid = await RunAsync(cli, _dir, "deid", "--in", sample, "--out", Path.Combine(_dir, "out"), "--secret-file", secret, "--report", Path.Combine(_dir, "report"));
        Assert.True(deid.Code == 0, deid.Output + deid.Error);
        var report = Directory.GetFiles(Path.Combine(_dir, "report"), "*.json").Single(f => !f.EndsWith("summary.json", StringComparison.Ordinal));
        Assert.Equal("deidentified", JsonDocument.Parse(await File.ReadAllTextAsync(report, TestContext.Current.CancellationToken)).RootElement.GetProperty("outcome").GetString());
        Assert.True(JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "report", "summary.json"), TestContext.Current.CancellationToken)).RootElement.TryGetProperty("profile", out _));

        var container = AzuriteFixture.UniqueName("native");
        var upload = await RunAsync(cli, _dir, "upload", sample, "--container", container, "--json", "--connection-string", _azurite.ConnectionString);
        Assert.True(upload.Code == 0, upload.Output + upload.Error);
        Assert.Equal("stored", JsonDocument.Parse(upload.Output).RootElement[0].GetProperty("outcome").GetString());

        var status = await RunAsync(cli, _dir, "status", "--json", "--connection-string", _azurite.ConnectionString);
        Assert.Contains(status.Code, new[] { 0, 1 });
        Assert.Equal(4, JsonDocument.Parse(status.Output).RootElement.GetProperty("queues").GetArrayLength());
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        // Not the test host's settings: the binary must find nothing but what it is given.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("CloudArchive__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
