using System.Globalization;
using CloudArchive.Benchmarks.DicomOracle;
using CloudArchive.Deidentification;

namespace CloudArchive.Benchmarks.Deid;

/// <summary>
/// <c>harness deid-wide [--elements N] [--rounds R] [--write FILE]</c>: de-identifies one instance holding N empty private elements
/// (default 999,000; see <see cref="WidePrivateInstance"/>) in a separate process (this executable in child mode) and
/// prints wall time and peak RSS, median of R runs (default 3). Every one of those elements is removed, so this is the
/// case where one-at-a-time removal from a sorted list was quadratic. Exit 0 when the median is under 5 s and 150 MB.
/// <c>--write FILE</c> only writes the instance, to try it with <c>cloudarchive deid</c> or another tool.
/// </summary>
public sealed class DeidWideHarness : IHarness
{
    private static readonly TimeSpan WallBound = TimeSpan.FromSeconds(5);
    private const long RssBound = 150L * 1024 * 1024;

    /// <inheritdoc />
    public string Name => "deid-wide";

    /// <inheritdoc />
    public string Description => "De-identify one instance with ~1M empty private elements (wall, peak RSS; bound 5 s, 150 MB)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Length == 4 && args[0] == "--child")
        {
            return await ChildAsync(args[1], args[2], args[3], cancellationToken).ConfigureAwait(false);
        }

        var elements = 999_000;
        var rounds = 3;
        string? writeOnly = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--elements" when i + 1 < args.Length:
                    elements = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--write" when i + 1 < args.Length:
                    writeOnly = args[++i];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown argument {args[i]}").ConfigureAwait(false);
                    return 2;
            }
        }

        var template = Path.Combine(BenchPaths.RepositoryRoot(), "testdata", "dicom", "CT_small.dcm");
        if (writeOnly is not null)
        {
            await WidePrivateInstance.WriteAsync(template, writeOnly, elements, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var work = Directory.CreateTempSubdirectory("deid-wide").FullName;
        try
        {
            var input = Path.Combine(work, "wide.dcm");
            await WidePrivateInstance.WriteAsync(template, input, elements, cancellationToken).ConfigureAwait(false);
            var secret = Path.Combine(work, "secret");
            await File.WriteAllTextAsync(secret, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"input: {elements:N0} empty private elements, {new FileInfo(input).Length / 1e6:F1} MB");

            var runs = new List<ProcessMeasurement.Run>();
            for (var r = 0; r < rounds; r++)
            {
                var output = Path.Combine(work, "out" + r.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(output);
                var run = await RunChildAsync(input, output, secret, cancellationToken).ConfigureAwait(false);
                if (run.ExitCode != 0)
                {
                    await Console.Error.WriteLineAsync($"child failed ({run.ExitCode}): {run.Stdout.Trim()} {run.Stderr.Trim()}").ConfigureAwait(false);
                    return 1;
                }

                runs.Add(run);
                Console.WriteLine($"run {r + 1}: {run.Wall.TotalSeconds:F2} s, peak RSS {run.PeakRssBytes / 1048576.0:F0} MiB  ({run.Stdout.Trim()})");
            }

            var wall = runs.Select(x => x.Wall).Order().ElementAt(runs.Count / 2);
            var rss = runs.Select(x => x.PeakRssBytes).Order().ElementAt(runs.Count / 2);
            if (!ProcessMeasurement.TimeAvailable)
            {
                // Without /usr/bin/time the peak RSS reads 0: a bound judged on it would pass with nothing measured.
                Console.WriteLine("peak RSS not measured (no /usr/bin/time): the memory bound is not judged");
            }

            var ok = wall < WallBound && rss < RssBound && ProcessMeasurement.TimeAvailable;
            Console.WriteLine($"median: {wall.TotalSeconds:F2} s (bound {WallBound.TotalSeconds:F0} s), peak RSS {rss / 1048576.0:F0} MiB (bound {RssBound / 1048576} MiB): {(ok ? "within" : "OUTSIDE")} bounds");
            return ok ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<ProcessMeasurement.Run> RunChildAsync(string input, string output, string secret, CancellationToken ct)
    {
        var (exe, args) = BenchPaths.SelfCommand("harness", "deid-wide", "--child", input, output, secret);
        return await ProcessMeasurement.RunAsync(exe, args, ct).ConfigureAwait(false);
    }

    /// <summary>The measured process: the Basic Profile over the one file, as <c>cloudarchive deid</c> runs it.</summary>
    private static async Task<int> ChildAsync(string input, string output, string secretFile, CancellationToken ct)
    {
        var secret = await ProjectSecret.ReadFileAsync(secretFile, ct).ConfigureAwait(false);
        var settings = DeidSettings.Create("basic", [], pixel: new PixelPolicy(false, [], []));
        var processor = new DeidFileProcessor(new Deidentifier(settings, secret));
        var (report, path) = await processor.ProcessAsync(input, output, null, ct).ConfigureAwait(false);
        Console.WriteLine($"{report.Outcome}, {(path is null ? 0 : new FileInfo(path).Length):N0} bytes out{(report.Reason is { } why ? ": " + why : string.Empty)}");
        return report.Outcome == InstanceOutcome.Deidentified ? 0 : 1;
    }
}
