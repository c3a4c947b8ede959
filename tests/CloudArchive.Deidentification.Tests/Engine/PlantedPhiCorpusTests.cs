using System.Text;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

/// <summary>
/// Copies of the shared samples with identifying values planted everywhere the anchors say leaks happen (names,
/// IDs, addresses, phones, institutions, staff, accession, device serials, free text, dates, UIDs embedding the
/// birth date, private tags and private sequences, SR text, nested sequences), written with the project's writer,
/// de-identified under the Basic Profile, and then scanned byte by byte: no planted token may survive in any
/// encoding (ASCII any case, UTF-16LE, UTF-16BE).
/// </summary>
public class PlantedPhiCorpusTests
{
    private const string BirthDate = "19450312";
    private const string StudyDate = "19990417";

    private static readonly string[] Tokens =
    [
        "Zyxwort", "Quimby", "Xanthippe", "PHIID845721", "845721", "Kroxley", "Vrentham", "5550199", "555-0199",
        "Blorvik", "Thwaite", "Ormond", "Pellingham", "Gruntfeld", "ACC99887766", "SNQX447781", "QXSTATION9",
        BirthDate, StudyDate, "PHIVENDOR", "ZYXMRN", "Wobbleton",
    ];

    private static readonly string[] Skipped = ["MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm", "emri_small_jpeg_2k_lossless_too_short.dcm", "DICOMDIR"];

    [Fact]
    public async Task No_planted_token_survives_in_the_bytes_of_any_output_under_the_Basic_Profile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempDir("deid-planted");
        var planted = tmp.Sub("in");
        var outDir = tmp.Sub("out");
        var reportDir = tmp.Sub("reports");
        var n = 0;
        foreach (var sample in Directory.GetFiles(TestPaths.Samples, "*.dcm").Where(f => !Skipped.Contains(Path.GetFileName(f))).Order(StringComparer.Ordinal))
        {
            await PlantAsync(sample, Path.Combine(planted, $"p{n++:D2}.dcm"), n, ct);
        }

        // The planted inputs really carry the tokens (otherwise the scan proves nothing).
        var inputHits = Directory.GetFiles(planted).Sum(f => Hits(File.ReadAllBytes(f)).Count);
        Assert.True(inputHits > n * 10, $"only {inputHits} planted hits in the inputs");

        var deid = new Deidentifier(DeidSettings.Create("basic", [], pixel: new PixelPolicy(false, [], [])), KeyedMapperTests.Secret());
        var processor = new DeidFileProcessor(deid);
        var written = 0;
        foreach (var f in Directory.GetFiles(planted))
        {
            var (report, output) = await processor.ProcessAsync(f, outDir, reportDir, ct);
            Assert.True(report.Outcome == InstanceOutcome.Deidentified, $"{Path.GetFileName(f)}: {report.Reason}");
            Assert.NotNull(output);
            written++;
        }

        Assert.Equal(n, written);
        var leaks = new List<string>();
        // The reports must not carry the planted values either (they name tag paths, never values).
        Assert.Equal(n, Directory.GetFiles(reportDir).Length);
        foreach (var f in Directory.GetFiles(outDir).Concat(Directory.GetFiles(reportDir)))
        {
            leaks.AddRange(Hits(await File.ReadAllBytesAsync(f, ct)).Select(h => $"{Path.GetFileName(f)}: {h}"));
        }

        Assert.True(leaks.Count == 0, "planted identifiers found in output bytes:\n" + string.Join('\n', leaks.Take(40)));
    }

    /// <summary>Writes a copy of <paramref name="source"/> with identifying values planted at every level.</summary>
    internal static async Task PlantAsync(string source, string destination, int index, CancellationToken ct)
    {
        await using var file = await DicomFile.OpenAsync(source, null, ct);
        var ds = file.Dataset;
        void S(DicomDataset d, ushort g, ushort e, DicomVR vr, params string[] v) => d.Set(DicomValueElement.FromStrings(new DicomTag(g, e), vr, v, d.CharacterSet));

        S(ds, 0x0010, 0x0010, DicomVR.PN, "Zyxwort^Quimby^Xanthippe");
        S(ds, 0x0010, 0x0020, DicomVR.LO, "PHIID845721");
        S(ds, 0x0010, 0x1000, DicomVR.LO, "ZYXMRN-845721");
        S(ds, 0x0010, 0x0030, DicomVR.DA, BirthDate);
        S(ds, 0x0010, 0x1040, DicomVR.LO, "1742 Kroxley Lane, Vrentham");
        S(ds, 0x0010, 0x2154, DicomVR.SH, "+1 555-0199");
        S(ds, 0x0010, 0x4000, DicomVR.LT, "Mr Zyxwort of Kroxley Lane, call 5550199");
        S(ds, 0x0010, 0x21B0, DicomVR.LT, "History given by Xanthippe Zyxwort");
        S(ds, 0x0008, 0x0080, DicomVR.LO, "Blorvik Memorial Clinic");
        S(ds, 0x0008, 0x0081, DicomVR.ST, "9 Wobbleton Road, Vrentham");
        S(ds, 0x0008, 0x0090, DicomVR.PN, "Thwaite^Ormond");
        S(ds, 0x0008, 0x1050, DicomVR.PN, "Gruntfeld^Ormond");
        S(ds, 0x0008, 0x1070, DicomVR.PN, "Pellingham^Tess");
        S(ds, 0x0008, 0x1060, DicomVR.PN, "Thwaite^Ormond");
        S(ds, 0x0008, 0x0050, DicomVR.SH, "ACC99887766");
        S(ds, 0x0018, 0x1000, DicomVR.LO, "SNQX447781");
        S(ds, 0x0008, 0x1010, DicomVR.SH, "QXSTATION9");
        S(ds, 0x0008, 0x1030, DicomVR.LO, "Follow-up for Zyxwort Quimby");
        S(ds, 0x0008, 0x103E, DicomVR.LO, "Blorvik series for PHIID845721");
        S(ds, 0x0020, 0x4000, DicomVR.LT, "Patient Zyxwort moved; ref ACC99887766");
        S(ds, 0x0032, 0x4000, DicomVR.LT, "Seen by Thwaite at Blorvik");
        S(ds, 0x0008, 0x0020, DicomVR.DA, StudyDate);
        S(ds, 0x0008, 0x0021, DicomVR.DA, StudyDate);
        S(ds, 0x0008, 0x0023, DicomVR.DA, StudyDate);
        S(ds, 0x0008, 0x002A, DicomVR.DT, StudyDate + "101500");
        S(ds, 0x0028, 0x0301, DicomVR.CS, "NO");

        // UIDs that embed the birth date; the meta (0002,0003) is regenerated from the dataset by the writer.
        var root = $"1.2.826.0.1.3680043.9.7777.{BirthDate}";
        S(ds, 0x0020, 0x000D, DicomVR.UI, root + ".1");
        S(ds, 0x0020, 0x000E, DicomVR.UI, root + ".2");
        S(ds, 0x0008, 0x0018, DicomVR.UI, root + ".3." + index);
        S(ds, 0x0020, 0x0052, DicomVR.UI, root + ".4");

        // Nested: other patient IDs, request attributes, referenced image, SR content with text and person names.
        var other = new DicomDataset();
        S(other, 0x0010, 0x0020, DicomVR.LO, "ZYXMRN845721");
        S(other, 0x0010, 0x0021, DicomVR.LO, "Blorvik Memorial");
        ds.Set(new DicomSequence(new DicomTag(0x0010, 0x1002), [other]));
        var request = new DicomDataset();
        S(request, 0x0008, 0x0050, DicomVR.SH, "ACC99887766");
        S(request, 0x0032, 0x1032, DicomVR.PN, "Thwaite^Ormond");
        S(request, 0x0040, 0x1002, DicomVR.LO, "Reason: Zyxwort fell at Vrentham");
        ds.Set(new DicomSequence(new DicomTag(0x0040, 0x0275), [request]));
        var refImage = new DicomDataset();
        S(refImage, 0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.4");
        S(refImage, 0x0008, 0x1155, DicomVR.UI, root + ".9");
        ds.Set(new DicomSequence(new DicomTag(0x0008, 0x1140), [refImage]));
        var text = new DicomDataset();
        S(text, 0x0040, 0xA040, DicomVR.CS, "TEXT");
        S(text, 0x0040, 0xA160, DicomVR.UT, "Findings for Zyxwort Quimby, DOB " + BirthDate);
        var person = new DicomDataset();
        S(person, 0x0040, 0xA040, DicomVR.CS, "PNAME");
        S(person, 0x0040, 0xA123, DicomVR.PN, "Pellingham^Tess");
        ds.Set(new DicomSequence(new DicomTag(0x0040, 0xA730), [text, person]));
        var verifier = new DicomDataset();
        S(verifier, 0x0040, 0xA075, DicomVR.PN, "Gruntfeld^Ormond");
        S(verifier, 0x0040, 0xA027, DicomVR.LO, "Blorvik Memorial Clinic");
        S(verifier, 0x0040, 0xA030, DicomVR.DT, StudyDate + "120000");
        ds.Set(new DicomSequence(new DicomTag(0x0040, 0xA073), [verifier]));

        // Private tags and a private sequence holding a name (creator also identifying).
        S(ds, 0x0011, 0x0010, DicomVR.LO, "PHIVENDOR");
        S(ds, 0x0011, 0x1001, DicomVR.LO, "Zyxwort private copy");
        var privItem = new DicomDataset();
        S(privItem, 0x0010, 0x0010, DicomVR.PN, "Zyxwort^Quimby");
        S(privItem, 0x0011, 0x0010, DicomVR.LO, "PHIVENDOR");
        S(privItem, 0x0011, 0x1003, DicomVR.LO, "Kroxley");
        ds.Set(new DicomSequence(new DicomTag(0x0011, 0x1002), [privItem]));

        await file.SaveAsync(destination, null, ct);
    }

    /// <summary>Every planted token found in <paramref name="bytes"/> as ASCII (any case), UTF-16LE or UTF-16BE.</summary>
    internal static List<string> Hits(byte[] bytes)
    {
        var hits = new List<string>();
        var upper = new byte[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            upper[i] = b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
        }

        foreach (var t in Tokens)
        {
            var variants = new (string Name, byte[] Pattern, byte[] Haystack)[]
            {
                ("ascii", Encoding.ASCII.GetBytes(t.ToUpperInvariant()), upper),
                ("utf16le", Encoding.Unicode.GetBytes(t), bytes),
                ("utf16be", Encoding.BigEndianUnicode.GetBytes(t), bytes),
            };
            foreach (var (name, pattern, hay) in variants)
            {
                if (hay.AsSpan().IndexOf(pattern) >= 0)
                {
                    hits.Add($"{t} ({name})");
                }
            }
        }

        return hits;
    }
}
