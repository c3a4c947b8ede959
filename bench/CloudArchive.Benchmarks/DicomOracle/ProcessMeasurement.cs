using System.Diagnostics;
using System.Globalization;

namespace CloudArchive.Benchmarks.DicomOracle;

/// <summary>
/// Runs one external process under <c>/usr/bin/time -f "%M %U %S"</c>: wall time from a stopwatch around the
/// whole process (start-up included, which is what "whole process" means), its peak resident set and its CPU time
/// (user + system, all threads).
/// </summary>
internal static class ProcessMeasurement
{
    /// <summary>One process run.</summary>
    public sealed record Run(int ExitCode, TimeSpan Wall, long PeakRssBytes, string Stdout, string Stderr)
    {
        /// <summary>User + system CPU time of the process and its children (zero without <c>/usr/bin/time</c>).</summary>
        public TimeSpan Cpu { get; init; }
    }

    public static bool TimeAvailable => File.Exists("/usr/bin/time");

    public static async Task<Run> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var rssFile = Path.GetTempFileName();
        try
        {
            var info = new ProcessStartInfo(TimeAvailable ? "/usr/bin/time" : fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (TimeAvailable)
            {
                foreach (var a in new[] { "-f", "%M %U %S", "-o", rssFile, fileName })
                {
                    info.ArgumentList.Add(a);
                }
            }

            foreach (var a in arguments)
            {
                info.ArgumentList.Add(a);
            }

            var sw = Stopwatch.StartNew();
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            sw.Stop();
            long rss = 0;
            var cpu = TimeSpan.Zero;
            if (TimeAvailable)
            {
                var fields = (await File.ReadAllTextAsync(rssFile, cancellationToken).ConfigureAwait(false)).Trim().Split('\n')[^1].Split(' ');
                rss = long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
                if (fields.Length == 3
                    && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var user)
                    && double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var system))
                {
                    cpu = TimeSpan.FromSeconds(user + system);
                }
            }

            return new Run(process.ExitCode, sw.Elapsed, rss, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false)) { Cpu = cpu };
        }
        finally
        {
            File.Delete(rssFile);
        }
    }

    /// <summary>Full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
