using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

/// <summary>Keyed mappings are the same in separate runs, references between instances still resolve, and
/// per-patient date offsets keep intervals.</summary>
public class ConsistencyTests
{
    private static readonly DicomTag StudyUid = new(0x0020, 0x000D);
    private static readonly DicomTag SeriesUid = new(0x0020, 0x000E);
    private static readonly DicomTag FrameOfReferenceUid = new(0x0020, 0x0052);
    private static readonly DicomTag ReferencedImageSequence = new(0x0008, 0x1140);
    private static readonly DicomTag SourceImageSequence = new(0x0008, 0x2112);
    private static readonly DicomTag ReferencedSopInstanceUid = new(0x0008, 0x1155);
    private static readonly DicomTag ReferencedSopClassUid = new(0x0008, 0x1150);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag StudyDate = new(0x0008, 0x0020);

    /// <summary>Writes a 3-instance series from MR_small: instance 2 and 3 reference instance 1.</summary>
    internal static async Task<List<string>> WriteSeriesAsync(string dir, string patientId, string studyDate, string uidRoot, CancellationToken ct)
    {
        var paths = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            await using var f = await DicomFile.OpenAsync(Path.Combine(TestPaths.Samples, "MR_small.dcm"), null, ct);
            var ds = f.Dataset;
            ds.SetString(PatientId, patientId);
            ds.SetString(PatientName, "Series^Patient^" + patientId);
            ds.SetString(StudyDate, studyDate);
            ds.SetString(StudyUid, uidRoot + ".1");
            ds.SetString(SeriesUid, uidRoot + ".2");
            ds.SetString(FrameOfReferenceUid, uidRoot + ".3");
            ds.SetString(DicomTags.SOPInstanceUID, $"{uidRoot}.10.{i}");
            if (i > 1)
            {
                var item = new DicomDataset();
                item.SetString(ReferencedSopClassUid, ds.GetString(DicomTags.SOPClassUID)!);
                item.SetString(ReferencedSopInstanceUid, uidRoot + ".10.1");
                ds.Set(new DicomSequence(ReferencedImageSequence, [item]));
                var src = new DicomDataset();
                src.SetString(ReferencedSopClassUid, ds.GetString(DicomTags.SOPClassUID)!);
                src.SetString(ReferencedSopInstanceUid, uidRoot + ".10.1");
                ds.Set(new DicomSequence(SourceImageSequence, [src]));
            }

            var p = Path.Combine(dir, $"in{i}.dcm");
            await f.SaveAsync(p, null, ct);
            paths.Add(p);
        }

        return paths;
    }

    [Fact]
    public async Task Two_runs_with_the_same_secret_produce_identical_files_and_references_resolve()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempDir("deid-consistency");
        var inputs = await WriteSeriesAsync(tmp.Sub("in"), "PID-1", "20200110", "1.2.826.0.1.3680043.9.7777.5", ct);
        var runs = new List<Dictionary<string, byte[]>>();
        foreach (var run in new[] { "a", "b" })
        {
            // A fresh Deidentifier per run: nothing is shared in memory between the runs.
            var processor = new DeidFileProcessor(new Deidentifier(DeidSettings.Basic, KeyedMapperTests.Secret()));
            var outDir = tmp.Sub(run);
            foreach (var i in inputs)
            {
                var (r, _) = await processor.ProcessAsync(i, outDir, null, ct);
                Assert.Equal(InstanceOutcome.Deidentified, r.Outcome);
            }

            runs.Add(Directory.GetFiles(outDir).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes));
        }

        Assert.Equal(runs[0].Keys.Order(StringComparer.Ordinal), runs[1].Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in runs[0])
        {
            Assert.Equal(bytes, runs[1][name]);
        }

        var outDirA = Path.Combine(tmp.Path, "a");
        var sops = new HashSet<string>();
        var studies = new HashSet<string>();
        var frames = new HashSet<string>();
        var references = new List<string>();
        foreach (var f in Directory.GetFiles(outDirA))
        {
            await using var d = await DicomFile.OpenAsync(f, null, ct);
            var sop = d.Dataset.GetString(DicomTags.SOPInstanceUID)!;
            Assert.Equal(sop + ".dcm", Path.GetFileName(f));
            sops.Add(sop);
            studies.Add(d.Dataset.GetString(StudyUid)!);
            frames.Add(d.Dataset.GetString(FrameOfReferenceUid)!);
            foreach (var seqTag in new[] { ReferencedImageSequence, SourceImageSequence })
            {
                if (d.Dataset.Get(seqTag) is DicomSequence seq)
                {
                    references.AddRange(seq.Items.Select(it => it.GetString(ReferencedSopInstanceUid)!));
                    Assert.All(seq.Items, it => Assert.StartsWith("1.2.840.10008.", it.GetString(ReferencedSopClassUid), StringComparison.Ordinal));
                }
            }
        }

        Assert.Equal(3, sops.Count);
        Assert.Single(studies);
        Assert.Single(frames);
        Assert.Equal(4, references.Count);
        Assert.All(references, r => Assert.Contains(r, sops));

        if (ExternalTool.Exists("dcentvfy"))
        {
            var v = await ExternalTool.RunAsync("dcentvfy", Directory.GetFiles(outDirA), ct);
            Assert.DoesNotContain("Error", v.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Modified_dates_shift_one_patients_studies_by_one_offset_and_keep_the_interval()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempDir("deid-dates");
        var first = await WriteSeriesAsync(tmp.Sub("s1"), "PID-7", "20200110", "1.2.826.0.1.3680043.9.7777.6", ct);
        var second = await WriteSeriesAsync(tmp.Sub("s2"), "PID-7", "20200315", "1.2.826.0.1.3680043.9.7777.7", ct);
        var other = await WriteSeriesAsync(tmp.Sub("s3"), "PID-8", "20200110", "1.2.826.0.1.3680043.9.7777.8", ct);
        var settings = DeidSettings.Create("dates", [DeidOption.RetainLongitudinalModifiedDates], -400, -30);
        var processor = new DeidFileProcessor(new Deidentifier(settings, KeyedMapperTests.Secret()));

        async Task<(DateOnly Date, string Pid, string Modified)> Run(string input, string outName)
        {
            var (r, path) = await processor.ProcessAsync(input, tmp.Sub(outName), null, ct);
            Assert.Equal(InstanceOutcome.Deidentified, r.Outcome);
            await using var d = await DicomFile.OpenAsync(path!, null, ct);
            var date = DateOnly.ParseExact(d.Dataset.GetString(StudyDate)!, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            return (date, d.Dataset.GetString(PatientId)!, d.Dataset.GetString(new DicomTag(0x0028, 0x0303))!);
        }

        var a = await Run(first[0], "o1");
        var b = await Run(second[0], "o2");
        var c = await Run(other[0], "o3");
        Assert.Equal("MODIFIED", a.Modified);
        Assert.Equal(new DateOnly(2020, 3, 15).DayNumber - new DateOnly(2020, 1, 10).DayNumber, b.Date.DayNumber - a.Date.DayNumber);
        Assert.InRange(new DateOnly(2020, 1, 10).DayNumber - a.Date.DayNumber, 30, 400);
        Assert.Equal(a.Pid, b.Pid);
        Assert.NotEqual(a.Pid, c.Pid);
        Assert.StartsWith("ANON", a.Pid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_different_secret_gives_unrelated_uids_and_pseudonyms()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempDir("deid-secret2");
        var inputs = await WriteSeriesAsync(tmp.Sub("in"), "PID-9", "20200110", "1.2.826.0.1.3680043.9.7777.9", ct);
        var p1 = new DeidFileProcessor(new Deidentifier(DeidSettings.Basic, KeyedMapperTests.Secret(1)));
        var p2 = new DeidFileProcessor(new Deidentifier(DeidSettings.Basic, KeyedMapperTests.Secret(2)));
        var (r1, _) = await p1.ProcessAsync(inputs[0], tmp.Sub("o1"), null, ct);
        var (r2, _) = await p2.ProcessAsync(inputs[0], tmp.Sub("o2"), null, ct);
        Assert.NotEqual(r1.OutputSopInstanceUid, r2.OutputSopInstanceUid);
    }
}
