using System.Diagnostics;
using System.Text;

namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>Runs an installed oracle binary (dcmdump, dcmconv, dciodvfy); tests skip when it is missing.</summary>
public static class OracleTool
{
    /// <summary>The result of one run; output is decoded as Latin-1 so binary bytes never break decoding.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Full path of <paramref name="name"/> on PATH, or null when it is not installed.</summary>
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs the tool and waits at most a minute (the samples are small; a hang is a failure).</summary>
    public static async Task<Result> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.Latin1,
            StandardErrorEncoding = Encoding.Latin1,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
