using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudArchive.Dicom;

namespace CloudArchive.Benchmarks.DicomOracle;

/// <summary>
/// Parse and read→write throughput (MB/s, files/s) and peak memory of CloudArchive's DICOM codec next to
/// DCMTK <c>dcmconv</c> and pydicom 2.3.1, on the readable sample corpus and on a generated 1 GiB
/// multi-frame file. <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness dicom-vs-oracles</c>
/// (options: <c>--budget SECONDS</c> per in-process measurement, default 5; <c>--big-mib N</c>, default 1024;
/// <c>--skip-big</c>). Exits 0 when CloudArchive is faster than both oracles on the corpus (read→write) and
/// passes bulk pixel data through at ≥ 1 GB/s, 1 otherwise.
/// </summary>
public sealed class DicomVsOraclesHarness : IHarness
{
    private const string ChildFlag = "--child-convert";
    private const double PassThroughTarget = 1e9;

    // Unreadable by every oracle (dcmdump -q exits 1), and the two transfer syntaxes pydicom 2.3.1 cannot
    // write (HTJ2K 1.2.840.10008.1.2.4.201, deflated frames 1.2.840.10008.1.2.8.1): every tool gets the same files.
    private static readonly HashSet<string> Excluded = new(StringComparer.Ordinal)
    {
        "MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm", "emri_small_jpeg_2k_lossless_too_short.dcm",
        "HTJ2KLossless_08_RGB.dcm", "liver_deflate.dcm",
    };

    /// <inheritdoc />
    public string Name => "dicom-vs-oracles";

    /// <inheritdoc />
    public string Description => "DICOM parse and read->write MB/s, files/s, peak RSS vs dcmconv and pydicom (corpus + 1 GiB multi-frame)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 3 && args[0] == ChildFlag)
        {
            // The whole-process CloudArchive measurement: one read and write, like one dcmconv run.
            await ConvertAsync(args[1], args[2], cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var budget = TimeSpan.FromSeconds(5);
        long bigBytes = 1L << 30;
        var skipBig = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--budget" when i + 1 < args.Length:
                    budget = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--big-mib" when i + 1 < args.Length:
                    bigBytes = long.Parse(args[++i], CultureInfo.InvariantCulture) << 20;
                    break;
                case "--skip-big":
                    skipBig = true;
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'");
                    return 2;
            }
        }

        var work = Directory.CreateTempSubdirectory("ca-dicom-bench-").FullName;
        try
        {
            var rows = new List<BenchRow>();
            var corpus = CorpusFiles();
            var corpusBytes = corpus.Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"{Environment.ProcessorCount} CPUs, load average {File.ReadAllText("/proc/loadavg").Trim()} (other processes share these CPUs; figures scale with it)");
            Console.WriteLine($"corpus: {corpus.Count} readable samples, {corpusBytes / 1e6:F2} MB (excluded: {string.Join(", ", Excluded.Order(StringComparer.Ordinal))})");
            await MeasureCorpusAsync(corpus, corpusBytes, budget, work, rows, cancellationToken).ConfigureAwait(false);
            if (!skipBig)
            {
                await MeasureBigAsync(bigBytes, work, rows, cancellationToken).ConfigureAwait(false);
            }

            PrintTable(rows);
            return Verdict(rows) ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task MeasureCorpusAsync(List<string> corpus, long corpusBytes, TimeSpan budget, string work, List<BenchRow> rows, CancellationToken ct)
    {
        var output = Path.Combine(work, "out.dcm");
        const string Workload = "corpus";

        // In-process: repeated passes over every file until the budget is spent (one warm-up pass first).
        var (parsePasses, parseTime, parseAlloc) = await PassesAsync(corpus, budget, f => ParseAsync(f, ct), ct).ConfigureAwait(false);
        rows.Add(new BenchRow(Workload, "CloudArchive", "parse", $"in-process, {parsePasses} passes", corpusBytes * parsePasses, corpus.Count * parsePasses, parseTime, -1, $"{parseAlloc / parsePasses / 1e6:F1} MB allocated/pass"));
        var (rwPasses, rwTime, rwAlloc) = await PassesAsync(corpus, budget, f => ConvertAsync(f, output, ct), ct).ConfigureAwait(false);
        rows.Add(new BenchRow(Workload, "CloudArchive", "read->write", $"in-process, {rwPasses} passes", corpusBytes * rwPasses, corpus.Count * rwPasses, rwTime, -1, $"{rwAlloc / rwPasses / 1e6:F1} MB allocated/pass"));

        // Whole process per file: this harness in child mode, dcmconv, pydicom.
        var (self, selfArgs) = BenchPaths.SelfCommand("harness", "dicom-vs-oracles");
        rows.Add(await PerFileAsync(Workload, "CloudArchive", $"whole process per file ({Path.GetFileName(self)} ... {ChildFlag})", corpus, corpusBytes, f => (self, [.. selfArgs, ChildFlag, f, output]), ct).ConfigureAwait(false));
        if (ProcessMeasurement.Find("dcmconv") is { } dcmconv)
        {
            rows.Add(await PerFileAsync(Workload, "dcmconv", "whole process per file (dcmconv IN OUT)", corpus, corpusBytes, f => (dcmconv, [f, output]), ct).ConfigureAwait(false));
        }

        var script = Path.Combine(work, "pydicom_bench.py");
        await File.WriteAllTextAsync(script, PydicomBenchScript.Source, ct).ConfigureAwait(false);
        if (File.Exists("/usr/bin/python3"))
        {
            var loop = await ProcessMeasurement.RunAsync("/usr/bin/python3", [script, "loop", budget.TotalSeconds.ToString(CultureInfo.InvariantCulture), output, .. corpus], ct).ConfigureAwait(false);
            AddPydicomLoopRows(Workload, loop, rows);
            rows.Add(await PerFileAsync(Workload, "pydicom", "whole process per file (python3 -c dcmread+save_as)", corpus, corpusBytes, f => ("/usr/bin/python3", [script, "once", "0", output, f]), ct).ConfigureAwait(false));
        }
    }

    private static async Task MeasureBigAsync(long pixelBytes, string work, List<BenchRow> rows, CancellationToken ct)
    {
        var big = Path.Combine(work, "multiframe.dcm");
        var output = Path.Combine(work, "multiframe-out.dcm");
        var sw = Stopwatch.StartNew();
        await MultiFrameGenerator.WriteAsync(big, pixelBytes, ct).ConfigureAwait(false);
        var size = new FileInfo(big).Length;
        var workload = $"{pixelBytes >> 20} MiB multi-frame";
        Console.WriteLine($"generated {big}: {size / 1e6:F0} MB in {sw.Elapsed.TotalSeconds:F1} s with the project writer");

        // Warm the page cache so every tool reads the file from memory, not from the disk.
        await ConvertAsync(big, output, ct).ConfigureAwait(false);

        sw.Restart();
        await ParseAsync(big, ct).ConfigureAwait(false);
        rows.Add(new BenchRow(workload, "CloudArchive", "parse", "in-process; Pixel Data stays on disk as a bulk reference, so bytes/s is not meaningful", size, 1, sw.Elapsed, -1) { RateMeaningful = false });

        sw.Restart();
        var drained = await ParseAndDrainAsync(big, ct).ConfigureAwait(false);
        rows.Add(new BenchRow(workload, "CloudArchive", "parse + read every pixel byte", "in-process", drained, 1, sw.Elapsed, -1));

        sw.Restart();
        await ConvertAsync(big, output, ct).ConfigureAwait(false);
        rows.Add(new BenchRow(workload, "CloudArchive", "read->write (pass-through)", "in-process", size, 1, sw.Elapsed, -1));
        File.Delete(output);

        // The same pass-through into a discarding stream: the codec's own speed without the disk write.
        sw.Restart();
        await ConvertToNullAsync(big, ct).ConfigureAwait(false);
        rows.Add(new BenchRow(workload, "CloudArchive", "read->write (pass-through)", "in-process, output discarded", size, 1, sw.Elapsed, -1));

        // The machine's ceiling for the same bytes: a plain file copy.
        if (ProcessMeasurement.Find("cp") is { } cp)
        {
            var copy = await ProcessMeasurement.RunAsync(cp, [big, output], ct).ConfigureAwait(false);
            rows.Add(new BenchRow(workload, "cp (baseline)", "file copy", "whole process", size, 1, copy.Wall, copy.PeakRssBytes));
            File.Delete(output);
        }

        var (self, selfArgs) = BenchPaths.SelfCommand("harness", "dicom-vs-oracles");
        var child = await ProcessMeasurement.RunAsync(self, [.. selfArgs, ChildFlag, big, output], ct).ConfigureAwait(false);
        rows.Add(new BenchRow(workload, "CloudArchive", "read->write (pass-through)", "whole process", size, 1, child.Wall, child.PeakRssBytes, child.ExitCode == 0 ? string.Empty : $"exit {child.ExitCode}"));
        File.Delete(output);

        if (ProcessMeasurement.Find("dcmconv") is { } dcmconv)
        {
            var run = await ProcessMeasurement.RunAsync(dcmconv, [big, output], ct).ConfigureAwait(false);
            rows.Add(new BenchRow(workload, "dcmconv", "read->write", "whole process", size, 1, run.Wall, run.PeakRssBytes, run.ExitCode == 0 ? string.Empty : $"exit {run.ExitCode}"));
            File.Delete(output);
        }

        if (File.Exists("/usr/bin/python3"))
        {
            var script = Path.Combine(work, "pydicom_bench.py");
            var once = await ProcessMeasurement.RunAsync("/usr/bin/python3", [script, "once", "0", output, big], ct).ConfigureAwait(false);
            rows.Add(new BenchRow(workload, "pydicom", "read->write", "whole process (dcmread+save_as)", size, 1, once.Wall, once.PeakRssBytes, once.ExitCode == 0 ? string.Empty : $"exit {once.ExitCode}"));
            File.Delete(output);
            var loop = await ProcessMeasurement.RunAsync("/usr/bin/python3", [script, "loop", "0", output, big], ct).ConfigureAwait(false);
            AddPydicomLoopRows(workload, loop, rows);
            File.Delete(output);
        }

        File.Delete(big);
    }

    private static void AddPydicomLoopRows(string workload, ProcessMeasurement.Run run, List<BenchRow> rows)
    {
        if (run.ExitCode != 0)
        {
            rows.Add(new BenchRow(workload, "pydicom", "loop", "one process", 0, 0, TimeSpan.Zero, run.PeakRssBytes, $"failed: exit {run.ExitCode} {run.Stderr.Split('\n').LastOrDefault(l => l.Length > 0)}"));
            return;
        }

        using var json = JsonDocument.Parse(run.Stdout.Trim().Split('\n')[^1]);
        var r = json.RootElement;
        var bytes = r.GetProperty("bytes").GetInt64();
        var files = r.GetProperty("files").GetInt32();
        var version = r.GetProperty("pydicom").GetString();
        var rss = r.GetProperty("peakRssBytes").GetInt64();
        var pp = r.GetProperty("parsePasses").GetInt32();
        var wp = r.GetProperty("readWritePasses").GetInt32();
        rows.Add(new BenchRow(workload, $"pydicom {version}", "parse (dcmread+iterall)", $"one process, timed inside, {pp} passes", bytes * pp, files * pp, TimeSpan.FromSeconds(r.GetProperty("parseSeconds").GetDouble()), rss));
        rows.Add(new BenchRow(workload, $"pydicom {version}", "read->write", $"one process, timed inside, {wp} passes", bytes * wp, files * wp, TimeSpan.FromSeconds(r.GetProperty("readWriteSeconds").GetDouble()), rss));
    }

    private static async Task<BenchRow> PerFileAsync(string workload, string tool, string how, List<string> files, long bytes, Func<string, (string File, string[] Args)> command, CancellationToken ct)
    {
        var total = TimeSpan.Zero;
        long peak = 0;
        var failures = new List<string>();
        foreach (var f in files)
        {
            var (exe, args) = command(f);
            var run = await ProcessMeasurement.RunAsync(exe, args, ct).ConfigureAwait(false);
            total += run.Wall;
            peak = Math.Max(peak, run.PeakRssBytes);
            if (run.ExitCode != 0)
            {
                failures.Add(Path.GetFileName(f));
            }
        }

        return new BenchRow(workload, tool, "read->write", how, bytes, files.Count, total, peak, failures.Count == 0 ? string.Empty : $"failed on {string.Join(", ", failures)}");
    }

    private static async Task<(int Passes, TimeSpan Elapsed, long Allocated)> PassesAsync(List<string> files, TimeSpan budget, Func<string, Task> op, CancellationToken ct)
    {
        foreach (var f in files)
        {
            await op(f).ConfigureAwait(false);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var passes = 0;
        while (sw.Elapsed < budget || passes < 3)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var f in files)
            {
                await op(f).ConfigureAwait(false);
            }

            passes++;
        }

        sw.Stop();
        return (passes, sw.Elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static async Task ParseAsync(string path, CancellationToken ct)
    {
        var file = await DicomReader.ReadFileAsync(path, cancellationToken: ct).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            // Touch the whole structure so nothing is left unparsed.
            var count = file.Dataset.Descendants().Count() + file.FileMetaInformation.Count;
            if (count < 0)
            {
                throw new InvalidOperationException("unreachable");
            }
        }
    }

    private static async Task<long> ParseAndDrainAsync(string path, CancellationToken ct)
    {
        var file = await DicomReader.ReadFileAsync(path, cancellationToken: ct).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[1 << 20];
            long total = 0;
            foreach (var e in file.Dataset.Descendants().OfType<DicomValueElement>().Where(v => v.IsBulk))
            {
                var s = e.OpenRead();
                await using (s.ConfigureAwait(false))
                {
                    int n;
                    while ((n = await s.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    {
                        total += n;
                    }
                }
            }

            return total;
        }
    }

    private static async Task ConvertAsync(string input, string output, CancellationToken ct)
    {
        var file = await DicomReader.ReadFileAsync(input, cancellationToken: ct).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            await file.SaveAsync(output, cancellationToken: ct).ConfigureAwait(false);
        }
    }

    private static async Task ConvertToNullAsync(string input, CancellationToken ct)
    {
        var file = await DicomReader.ReadFileAsync(input, cancellationToken: ct).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(Stream.Null, cancellationToken: ct).ConfigureAwait(false);
        }
    }


    private static List<string> CorpusFiles()
    {
        var dir = Path.Combine(BenchPaths.RepositoryRoot(), "testdata", "dicom");
        return Directory.GetFiles(dir)
            .Where(p => p.EndsWith(".dcm", StringComparison.Ordinal) || Path.GetFileName(p) == "DICOMDIR")
            .Where(p => !Excluded.Contains(Path.GetFileName(p)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static void PrintTable(List<BenchRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"workload",-22} {"tool",-16} {"operation",-30} {"time s",8} {"MB/s",9} {"files/s",9} {"peak RSS",10}  how / note");
        foreach (var r in rows)
        {
            var rss = r.PeakRssBytes > 0 ? $"{r.PeakRssBytes / 1048576.0:F0} MiB" : "-";
            var rate = r.RateMeaningful ? r.MegabytesPerSecond.ToString("F1", CultureInfo.InvariantCulture) : "n/a";
            sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Workload,-22} {r.Tool,-16} {r.Operation,-30} {r.Elapsed.TotalSeconds,8:F3} {rate,9} {r.FilesPerSecond,9:F1} {rss,10}  {r.How}{(r.Note.Length > 0 ? "; " + r.Note : string.Empty)}");
        }

        Console.Write(sb.ToString());
    }

    private static bool Verdict(List<BenchRow> rows)
    {
        var ok = true;
        double Rate(string tool, string op, string howPrefix) =>
            rows.Where(r => r.Workload == "corpus" && r.Tool.StartsWith(tool, StringComparison.Ordinal) && r.Operation == op && r.How.StartsWith(howPrefix, StringComparison.Ordinal))
                .Select(r => r.MegabytesPerSecond).DefaultIfEmpty(double.NaN).First();

        var oursInProcess = Rate("CloudArchive", "read->write", "in-process");
        var oursPerFile = Rate("CloudArchive", "read->write", "whole process");
        var pyInProcess = Rate("pydicom", "read->write", "one process");
        var dcmconvPerFile = Rate("dcmconv", "read->write", "whole process");
        var pyPerFile = Rate("pydicom", "read->write", "whole process");
        Console.WriteLine();
        ok &= Report($"corpus read->write in one process: CloudArchive {oursInProcess:F1} MB/s vs pydicom {pyInProcess:F1} MB/s", oursInProcess > pyInProcess);
        ok &= Report($"corpus read->write, one process per file: CloudArchive {oursPerFile:F1} MB/s vs dcmconv {dcmconvPerFile:F1} MB/s vs pydicom {pyPerFile:F1} MB/s", oursPerFile > dcmconvPerFile && oursPerFile > pyPerFile);
        ok &= Report($"corpus read->write in one process (CloudArchive) vs dcmconv per process: {oursInProcess:F1} vs {dcmconvPerFile:F1} MB/s (dcmconv has no in-process mode)", oursInProcess > dcmconvPerFile);
        foreach (var pass in rows.Where(r => r.Workload != "corpus" && r.Tool == "CloudArchive" && r.Operation.StartsWith("read->write", StringComparison.Ordinal) && r.How.StartsWith("in-process", StringComparison.Ordinal)))
        {
            ok &= Report($"bulk pixel data pass-through ({pass.How}): {pass.MegabytesPerSecond / 1000:F2} GB/s (target >= 1 GB/s)", pass.MegabytesPerSecond * 1e6 >= PassThroughTarget);
        }

        var copy = rows.FirstOrDefault(r => r.Tool == "cp (baseline)");
        if (copy is not null)
        {
            Console.WriteLine($"        (machine ceiling: cp copies the same file at {copy.MegabytesPerSecond / 1000:F2} GB/s)");
        }

        return ok;
    }

    private static bool Report(string line, bool held)
    {
        Console.WriteLine($"{(held ? "MET    " : "MISSED ")} {line}");
        return held;
    }
}
