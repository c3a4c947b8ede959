using System.Globalization;
using CloudArchive.Benchmarks.DicomOracle;
using CloudArchive.Deidentification;
using CloudArchive.Dicom;

namespace CloudArchive.Benchmarks.Deid;

/// <summary>
/// <c>harness deid-vs-oracles [--instances N] [--rounds R] [--keep DIR]</c>: de-identifies the shared sample corpus and a generated
/// study of N instances (default 2,000, written with the project's writer from CT_small.dcm with new UIDs) with
/// CloudArchive (whole process: this executable in child mode), <c>gdcmanon -e</c> (PS3.15 E.1 basic mode, which also
/// encrypts the originals, to a throw-away certificate) and a pydicom de-identifier (tools/deid/pydicom_deid.py), and
/// prints wall time, CPU time (user + system), files/s, MB/s and peak RSS side by side (median of R interleaved runs per
/// tool, default 3). Exit 0 when, on the generated study, CloudArchive as built uses no more CPU than gdcmanon and at
/// most 0.8× its wall time, and is faster than pydicom on both inputs.
/// </summary>
public sealed class DeidVsOraclesHarness : IHarness
{
    /// <inheritdoc />
    public string Name => "deid-vs-oracles";

    /// <inheritdoc />
    public string Description => "De-identify samples + a generated study: CloudArchive vs gdcmanon vs pydicom (files/s, MB/s, peak RSS)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Length == 4 && args[0] == "--child")
        {
            return await ChildAsync(args[1], args[2], args[3], cancellationToken).ConfigureAwait(false);
        }

        var instances = 2000;
        var rounds = 3;
        string? keep = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--instances" when i + 1 < args.Length:
                    instances = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--keep" when i + 1 < args.Length:
                    keep = args[++i];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown argument {args[i]}").ConfigureAwait(false);
                    return 2;
            }
        }

        var repo = BenchPaths.RepositoryRoot();
        var work = keep ?? Directory.CreateTempSubdirectory("deid-bench").FullName;
        Directory.CreateDirectory(work);
        try
        {
            var secret = Path.Combine(work, "secret");
            await File.WriteAllTextAsync(secret, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)), cancellationToken).ConfigureAwait(false);
            var corpus = Path.Combine(work, "corpus");
            Directory.CreateDirectory(corpus);
            foreach (var f in Directory.GetFiles(Path.Combine(repo, "testdata", "dicom")).Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith("SHA256SUMS", StringComparison.Ordinal)))
            {
                File.Copy(f, Path.Combine(corpus, Path.GetFileName(f)), overwrite: true);
            }

            var study = Path.Combine(work, "study");
            await GenerateStudyAsync(Path.Combine(repo, "testdata", "dicom", "CT_small.dcm"), study, instances, cancellationToken).ConfigureAwait(false);

            string? cert = null;
            if (ProcessMeasurement.Find("gdcmanon") is not null && ProcessMeasurement.Find("openssl") is not null)
            {
                cert = Path.Combine(work, "cert.pem");
                var key = Path.Combine(work, "key.pem");
                var gen = await ProcessMeasurement.RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-keyout", key, "-out", cert, "-days", "2", "-nodes", "-subj", "/CN=deid-bench"], cancellationToken).ConfigureAwait(false);
                if (gen.ExitCode != 0)
                {
                    cert = null;
                }
            }

            // Every tool runs `rounds` times, interleaved (round 1 of every tool, then round 2, ...), so a change in the
            // load of the shared machine hits all tools alike; the table shows each tool's median run.
            // "cloudarchive" runs as built (TieredPGO off in the csproj); the two variants show the runtime's own default
            // (dynamic PGO on) and full JIT up front, so the effect of the setting stays measured.
            // The binary a user runs after tools/install-cli.sh (NativeAOT), when it is installed in this checkout.
            var nativeCli = Path.Combine(repo, ".cloudarchive", "bin", "cloudarchive");
            var tools = File.Exists(nativeCli)
                ? new[] { "cloudarchive CLI (native)", "cloudarchive", "cloudarchive (TieredPGO=1)", "cloudarchive (TC=0)", "gdcmanon", "pydicom" }
                : new[] { "cloudarchive", "cloudarchive (TieredPGO=1)", "cloudarchive (TC=0)", "gdcmanon", "pydicom" };
            var rows = new List<(string Input, string Tool, ProcessMeasurement.Run Run, int Files, long Bytes, int Outputs)>();
            foreach (var (label, dir) in new[] { ("samples", corpus), ($"study x{instances}", study) })
            {
                var files = Directory.GetFiles(dir).Length;
                var bytes = Directory.GetFiles(dir).Sum(f => new FileInfo(f).Length);
                var runs = tools.ToDictionary(t => t, _ => new List<(ProcessMeasurement.Run Run, int Outputs)>());
                for (var round = 0; round < rounds; round++)
                {
                    foreach (var tool in tools)
                    {
                        var outDir = Path.Combine(work, "out", label.Replace(' ', '-'), tool.Replace(' ', '-').Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal).Replace('=', '-'));
                        if (Directory.Exists(outDir))
                        {
                            Directory.Delete(outDir, recursive: true);
                        }

                        Directory.CreateDirectory(outDir);
                        ProcessMeasurement.Run? run = tool switch
                        {
                            "cloudarchive CLI (native)" => await ProcessMeasurement.RunAsync(nativeCli, ["deid", "--in", dir, "--out", outDir, "--secret-file", secret], cancellationToken).ConfigureAwait(false),
                            "cloudarchive" => await RunSelfAsync(dir, outDir, secret, "DOTNET_TieredCompilation=1", cancellationToken).ConfigureAwait(false),
                            "cloudarchive (TieredPGO=1)" => await RunSelfAsync(dir, outDir, secret, "DOTNET_TieredPGO=1", cancellationToken).ConfigureAwait(false),
                            "cloudarchive (TC=0)" => await RunSelfAsync(dir, outDir, secret, "DOTNET_TieredCompilation=0", cancellationToken).ConfigureAwait(false),
                            "gdcmanon" when cert is not null => await ProcessMeasurement.RunAsync("gdcmanon", ["-e", "--continue", "-c", cert, "-r", "-i", dir, "-o", outDir], cancellationToken).ConfigureAwait(false),
                            "pydicom" when File.Exists("/usr/bin/python3") => await ProcessMeasurement.RunAsync("/usr/bin/python3", [Path.Combine(repo, "tools", "deid", "pydicom_deid.py"), Path.Combine(repo, "data", "dicom", "confidentiality_profile.json"), secret, dir, outDir], cancellationToken).ConfigureAwait(false),
                            _ => null,
                        };
                        if (run is not null)
                        {
                            runs[tool].Add((run, Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).Count()));
                        }
                    }
                }

                foreach (var tool in tools.Where(t => runs[t].Count > 0))
                {
                    var ordered = runs[tool].OrderBy(r => r.Run.Wall).ToList();
                    var median = ordered[ordered.Count / 2];
                    rows.Add((label, tool, median.Run, files, bytes, median.Outputs));
                }
            }

            Console.WriteLine($"median of {rounds} interleaved run(s) per tool");
            Console.WriteLine("| input | tool | files in | outputs | seconds | CPU s | files/s | MB/s | peak RSS MiB | exit |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in rows)
            {
                var s = r.Run.Wall.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Input} | {r.Tool} | {r.Files} | {r.Outputs} | {s:F2} | {r.Run.Cpu.TotalSeconds:F2} | {r.Files / s:F1} | {r.Bytes / 1e6 / s:F2} | {r.Run.PeakRssBytes / 1048576.0:F0} | {r.Run.ExitCode} |"));
            }

            var ok = true;
            foreach (var group in rows.GroupBy(r => r.Input))
            {
                // The bound is judged on CloudArchive as built (the settings a user of the CLI gets), not on the best variant.
                // The native CLI is what a user runs; without it, this executable as built (JIT).
                var ours = group.FirstOrDefault(r => r.Tool == "cloudarchive CLI (native)") is { Run: not null } native ? native : group.FirstOrDefault(r => r.Tool == "cloudarchive");
                foreach (var other in group.Where(r => !r.Tool.StartsWith("cloudarchive", StringComparison.Ordinal)))
                {
                    if (other.Run.ExitCode != 0)
                    {
                        // gdcmanon stops at the first file it cannot parse (even with --continue): not comparable.
                        Console.WriteLine($"not compared: {other.Tool} exited {other.Run.ExitCode} on {group.Key} after {other.Outputs} output(s)");
                        continue;
                    }

                    if (other.Tool == "gdcmanon")
                    {
                        // The performance issue's targets against gdcmanon -e: no more CPU, at most 0.8x the wall time.
                        // Without /usr/bin/time both CPU figures read 0, and 0 <= 0 must not count as met.
                        var cpuOk = ProcessMeasurement.TimeAvailable && ours.Run is not null && ours.Run.Cpu <= other.Run.Cpu;
                        var wallOk = ours.Run is not null && ours.Run.Wall.TotalSeconds <= 0.8 * other.Run.Wall.TotalSeconds;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{group.Key}: vs gdcmanon -e CPU {ours.Run?.Cpu.TotalSeconds:F2} / {other.Run.Cpu.TotalSeconds:F2} s ({(cpuOk ? "met" : "missed")}), wall ratio {ours.Run?.Wall.TotalSeconds / other.Run.Wall.TotalSeconds:F2} (target <= 0.8: {(wallOk ? "met" : "missed")})"));
                        ok &= cpuOk && wallOk;
                    }
                    else if (ours.Run is null || ours.Run.Wall >= other.Run.Wall)
                    {
                        ok = false;
                        Console.WriteLine($"bound missed: cloudarchive is not faster than {other.Tool} on {group.Key}");
                    }
                }
            }

            return ok ? 0 : 1;
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>Runs this executable in child mode as a separate process with one runtime setting
    /// (<paramref name="runtimeSetting"/>, set through <c>/usr/bin/env</c>, which execs so the measured process is the
    /// same). A batch run of a second is dominated by JIT work: the executable is built with dynamic PGO off (no
    /// instrumented tier); <c>DOTNET_TieredPGO=1</c> turns it back on for comparison, <c>DOTNET_TieredCompilation=0</c>
    /// compiles every method fully optimized at first call.</summary>
    private static async Task<ProcessMeasurement.Run> RunSelfAsync(string input, string output, string secret, string runtimeSetting, CancellationToken ct)
    {
        var (exe, selfArgs) = BenchPaths.SelfCommand("harness", "deid-vs-oracles", "--child", input, output, secret);
        return await ProcessMeasurement.RunAsync("/usr/bin/env", [runtimeSetting, exe, .. selfArgs], ct).ConfigureAwait(false);
    }

    /// <summary>The measured CloudArchive process: Basic Profile over every file of a directory, all cores.</summary>
    private static async Task<int> ChildAsync(string input, string output, string secretFile, CancellationToken ct)
    {
        var secret = await ProjectSecret.ReadFileAsync(secretFile, ct).ConfigureAwait(false);

        // The baselines refuse nothing, so the burned-in refusal policy is switched off to process the same files.
        var settings = DeidSettings.Create("basic", [], pixel: new PixelPolicy(false, [], []));
        var processor = new DeidFileProcessor(new Deidentifier(settings, secret));
        var ok = 0;
        var failed = 0;
        await Parallel.ForEachAsync(Directory.GetFiles(input), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, async (f, c) =>
        {
            var (r, _) = await processor.ProcessAsync(f, output, null, c).ConfigureAwait(false);
            if (r.Outcome == InstanceOutcome.Deidentified)
            {
                Interlocked.Increment(ref ok);
            }
            else
            {
                Interlocked.Increment(ref failed);
            }
        }).ConfigureAwait(false);
        Console.WriteLine($"ok={ok} failed={failed}");
        return 0;
    }

    private static async Task GenerateStudyAsync(string template, string dir, int count, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        const string root = "1.2.826.0.1.3680043.9.7777.20240101";
        for (var i = 0; i < count; i++)
        {
            await using var f = await DicomFile.OpenAsync(template, null, ct).ConfigureAwait(false);
            var ds = f.Dataset;
            ds.SetString(new DicomTag(0x0020, 0x000D), root + ".1");
            ds.SetString(new DicomTag(0x0020, 0x000E), root + ".2");
            ds.SetString(DicomTags.SOPInstanceUID, root + ".3." + (i + 1).ToString(CultureInfo.InvariantCulture));
            ds.SetString(new DicomTag(0x0020, 0x0013), (i + 1).ToString(CultureInfo.InvariantCulture));
            ds.SetString(new DicomTag(0x0010, 0x0010), "Bench^Patient");
            await f.SaveAsync(Path.Combine(dir, $"i{i:D4}.dcm"), null, ct).ConfigureAwait(false);
        }
    }
}
