using System.ComponentModel;
using System.Diagnostics;

namespace CloudArchive.Infra.Tests.Tooling;

/// <summary>
/// Runs the Bicep CLI from the NuGet package. No network: nothing in infra/ references a registry module, and every
/// command runs with <c>--no-restore</c> where it has the option.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string> Executable = new(FindExecutable);

    public static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = InfraPaths.Infra,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, no update check: the tests must behave the same with and without a network.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        using var timeout = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s.");
        }

        return new BicepRun(string.Join(' ', arguments), process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    // NuGet extracts packages without preserving the execute bit on some systems; and a cache shared by another user
    // may be read-only to us. Then a private copy in the temp folder is made executable instead.
    private static string FindExecutable()
    {
        var packaged = InfraPaths.BicepPackageExecutable;
        if (!File.Exists(packaged))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {packaged}: restore tests/CloudArchive.Infra.Tests (PackageDownload Azure.Bicep.CommandLine.linux-x64).", packaged);
        }

        if (CanExecute(packaged))
        {
            return packaged;
        }

        try
        {
            File.SetUnixFileMode(packaged, File.GetUnixFileMode(packaged) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            if (CanExecute(packaged))
            {
                return packaged;
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to change: fall through to the private copy.
        }

        var copy = Path.Combine(Path.GetTempPath(), $"cloudarchive-bicep-0.49.2-{Environment.UserName}", "bicep");
        if (!File.Exists(copy) || new FileInfo(copy).Length != new FileInfo(packaged).Length)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(packaged, copy, overwrite: true);
        }

        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return copy;
    }

    private static bool CanExecute(string path)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(path, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (probe is null)
            {
                return false;
            }

            probe.WaitForExit(30_000);
            return probe.HasExited && probe.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}
