namespace CloudArchive.Benchmarks.DicomOracle;

/// <summary>
/// The pydicom side of the comparison, run as <c>/usr/bin/python3 SCRIPT MODE BUDGET_SECONDS OUT FILE...</c>.
/// MODE <c>loop</c>: one process repeats passes over the files until the time budget is spent and prints
/// JSON with the timings measured inside Python (parse = dcmread + iterall, which parses every sequence;
/// readwrite = dcmread + save_as) and the peak RSS. MODE <c>once</c>: one dcmread + save_as of one file
/// (used for whole-process timing).
/// </summary>
internal static class PydicomBenchScript
{
    public const string Source = """
        import json, os, resource, sys, time, warnings
        warnings.simplefilter("ignore")
        import pydicom

        def read(path):
            return pydicom.dcmread(path, force=True)

        def passes(files, budget, op):
            op(files)  # warm-up pass
            count, start = 0, time.perf_counter()
            while True:
                op(files)
                count += 1
                elapsed = time.perf_counter() - start
                if elapsed >= budget and count >= 3:
                    return count, elapsed

        def main():
            mode, budget, out, files = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
            if mode == "once":
                read(files[0]).save_as(out)
                return
            def parse(fs):
                for f in fs:
                    for _ in read(f).iterall():
                        pass
            def readwrite(fs):
                for f in fs:
                    read(f).save_as(out)
            result = {"pydicom": pydicom.__version__, "bytes": sum(os.path.getsize(f) for f in files), "files": len(files)}
            result["parsePasses"], result["parseSeconds"] = passes(files, budget, parse)
            result["readWritePasses"], result["readWriteSeconds"] = passes(files, budget, readwrite)
            result["peakRssBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            print(json.dumps(result))

        main()
        """;
}
