using System.Diagnostics;

namespace CloudArchive.Deidentification.Tests;

/// <summary>Runs an oracle command-line tool (dcmdump, dciodvfy) when it is installed.</summary>
internal static class ExternalTool
{
    public static bool Exists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, name)));

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string name, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(name)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        return (p.ExitCode, await stdout, await stderr);
    }
}
