using System.Text;
using System.Text.Json;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

/// <summary>
/// One case per row of PS3.15 Table E.1-1, generated from data/dicom/confidentiality_profile.json (read here
/// independently of the product's loader). Each row is exercised under the Basic Profile and under each of the ten
/// options alone, with the attribute at the top level, inside a nested sequence item, and encoded as VR UN, and the
/// outcome is checked against the action code in the table: X absent, Z zero-length, D non-zero replacement (a sequence is written with zero items), U
/// mapped UID, K unchanged, C without the planted identifier (dates shifted), X/Z/U* kept with its UIDs mapped.
/// </summary>
public class TableE11GeneratedTests
{
    private const string Planted = "PLANTEDID77";
    private static readonly DicomTag Container = new(0x0008, 0x9215); // Derivation Code Sequence: not in Table E.1-1
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag ReferencedSopInstanceUid = new(0x0008, 0x1155);
    private static readonly DicomTag CodeValue = new(0x0008, 0x0100);
    private static readonly List<JsonElement> TableRows = LoadRows();

    public static TheoryData<int, string> Rows()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < TableRows.Count; i++)
        {
            data.Add(i, TableRows[i].GetProperty("rawTag").GetString()!);
        }

        return data;
    }

    public enum Placement
    {
        TopLevel,
        Nested,
        EncodedAsUN,
    }

    [Fact]
    public void Generated_cases_cover_all_621_rows()
    {
        Assert.Equal(621, Rows().Count);
        Assert.Null(ConfidentialityProfileTable.Standard.Find(Container));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Row_is_applied_under_basic_and_each_option_at_top_level_nested_and_as_UN(int index, string rawTag)
    {
        var row = TableRows[index];
        var configs = new List<DeidOption?> { null };
        configs.AddRange(DeidOptionInfo.All.Select(o => (DeidOption?)o));
        foreach (var option in configs)
        {
            var settings = DeidSettings.Create("generated", option is { } o ? [o] : []);
            var deid = new Deidentifier(settings, KeyedMapperTests.Secret());
            var code = ExpectedCode(row, option);
            foreach (var placement in Enum.GetValues<Placement>())
            {
                var context = $"{rawTag} option={option?.ToString() ?? "basic"} placement={placement} code={code}";
                if (row.TryGetProperty("special", out _))
                {
                    await CheckPrivateRow(deid, code, placement, context);
                }
                else
                {
                    await CheckStandardRow(deid, row, code, option, placement, context);
                }
            }
        }
    }

    private static async Task CheckStandardRow(Deidentifier deid, JsonElement row, string code, DeidOption? option, Placement placement, string context)
    {
        var tag = ConcreteTag(row);
        var vr = ConcreteVR(row);
        var original = OriginalValue(vr, code);
        var ds = new DicomDataset();
        if (tag != PatientId)
        {
            ds.Set(DicomValueElement.FromStrings(PatientId, DicomVR.LO, [Planted]));
        }

        var target = placement == Placement.EncodedAsUN ? AsUN(tag, vr, original) : Make(tag, vr, original);
        DicomDataset holder = ds;
        if (placement == Placement.Nested)
        {
            holder = new DicomDataset();
            ds.Set(new DicomSequence(Container, [holder]));
        }

        holder.Set(target);
        var file = new DicomFile(ds);
        var result = await deid.DeidentifyAsync(file, null, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, context);
        if (placement == Placement.Nested)
        {
            var seq = Assert.IsType<DicomSequence>(file.Dataset.Get(Container), exactMatch: false);
            Assert.Single(seq.Items);
            holder = seq.Items[0];
        }
        else
        {
            holder = file.Dataset;
        }

        var outEl = holder.Get(tag);
        var isSeq = vr == DicomVR.SQ;
        var unSequence = isSeq && placement == Placement.EncodedAsUN;
        var retainUids = option == DeidOption.RetainUids;
        var reportPath = (placement == Placement.Nested ? Container + "[0]" : string.Empty) + tag;
        Assert.Contains(result.Report.Attributes, a => a.Path == reportPath || a.Path.StartsWith(reportPath, StringComparison.Ordinal));

        switch (code)
        {
            case "X":
                Assert.True(outEl is null, context + ": expected removed");
                break;

            case "Z" or "X/Z":
                Assert.True(outEl is not null, context + ": expected present");
                if (isSeq)
                {
                    Assert.Empty(Assert.IsType<DicomSequence>(outEl, exactMatch: false).Items);
                }
                else if (tag == PatientName || tag == PatientId)
                {
                    Assert.StartsWith("ANON", Str(holder, outEl!), StringComparison.Ordinal);
                }
                else
                {
                    Assert.True(((DicomValueElement)outEl!).Length == 0, context + ": expected zero length");
                }

                break;

            case "D" or "Z/D" or "X/D" or "X/Z/D":
                Assert.True(outEl is not null, context + ": expected present");
                if (isSeq)
                {
                    var dummyItems = Assert.IsType<DicomSequence>(outEl, exactMatch: false).Items;
                    if (unSequence)
                    {
                        // Nothing inspectable to derive the one dummy item from: zero items.
                        Assert.Empty(dummyItems);
                        break;
                    }

                    // D on a sequence keeps one item, de-identified by each attribute's own row (§2).
                    var dummyItem = Assert.Single(dummyItems);
                    Assert.Equal("CODE1", dummyItem.GetString(CodeValue));
                    Assert.Equal(retainUids, dummyItem.GetString(ReferencedSopInstanceUid) == "1.2.3.99");
                    break;
                }

                var dv = (DicomValueElement)outEl!;
                Assert.True(dv.Length > 0, context + ": expected non-zero length");
                Assert.False(dv.GetBytes().Span.SequenceEqual(Encode(vr, original)), context + ": expected a replaced value");
                if (vr == DicomVR.UI)
                {
                    Assert.StartsWith("2.25.", Str(holder, dv), StringComparison.Ordinal);
                }

                break;

            case "U":
                Assert.True(outEl is not null, context + ": expected present");
                Assert.StartsWith("2.25.", Str(holder, outEl!), StringComparison.Ordinal);
                break;

            case "K":
                if (unSequence)
                {
                    // A sequence hidden in a defined-length UN value cannot be inspected; keeping it could leak.
                    Assert.True(outEl is null, context + ": an uninspectable UN sequence must not pass");
                    break;
                }

                Assert.True(outEl is not null, context + ": expected kept");
                if (isSeq)
                {
                    var item = Assert.Single(Assert.IsType<DicomSequence>(outEl, exactMatch: false).Items);
                    Assert.Equal("CODE1", item.GetString(CodeValue));
                    Assert.Equal(retainUids, item.GetString(ReferencedSopInstanceUid) == "1.2.3.99");
                }
                else
                {
                    Assert.True(((DicomValueElement)outEl!).GetBytes().Span.SequenceEqual(Encode(vr, original)), context + ": expected unchanged bytes");
                }

                break;

            case "X/Z/U*":
                if (unSequence)
                {
                    Assert.True(outEl is null, context);
                    break;
                }

                var kept = Assert.Single(Assert.IsType<DicomSequence>(outEl, exactMatch: false).Items);
                var refUid = kept.GetString(ReferencedSopInstanceUid);
                Assert.True(retainUids ? refUid == "1.2.3.99" : refUid!.StartsWith("2.25.", StringComparison.Ordinal), context);
                break;

            case "C":
                CheckClean(holder, outEl, vr, unSequence, context);
                break;

            default:
                Assert.Fail(context + ": unexpected code in the table");
                break;
        }
    }

    private static void CheckClean(DicomDataset holder, DicomElement? outEl, DicomVR vr, bool unSequence, string context)
    {
        if (vr == DicomVR.SQ)
        {
            if (unSequence)
            {
                Assert.True(outEl is null, context);
                return;
            }

            var item = Assert.Single(Assert.IsType<DicomSequence>(outEl, exactMatch: false).Items);
            Assert.Equal("CODE1", item.GetString(CodeValue));
            return;
        }

        if (vr.IsBinary || vr == DicomVR.UN)
        {
            Assert.True(outEl is null, context + ": a binary value cannot be cleaned and must be removed");
            return;
        }

        Assert.True(outEl is not null, context + ": expected present");
        var s = Str(holder, outEl!);
        if (vr == DicomVR.DA || vr == DicomVR.DT)
        {
            Assert.NotEqual(OriginalValue(vr, "C"), s);
            Assert.Matches("^[0-9]{8}", s);
        }
        else if (vr == DicomVR.TM)
        {
            Assert.Equal(OriginalValue(vr, "C"), s);
        }
        else if (vr == DicomVR.UI)
        {
            Assert.StartsWith("2.25.", s, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain(Planted, s, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task CheckPrivateRow(Deidentifier deid, string code, Placement placement, string context)
    {
        var creatorTag = new DicomTag(0x0019, 0x0010);
        var safeTag = new DicomTag(0x0019, 0x1023);   // GEMS_ACQU_01 (0019,xx23) Table Speed: on the safe list
        var unsafeTag = new DicomTag(0x0019, 0x1099); // not on the list
        var ds = new DicomDataset();
        ds.Set(DicomValueElement.FromStrings(PatientId, DicomVR.LO, [Planted]));
        DicomDataset holder = ds;
        if (placement == Placement.Nested)
        {
            holder = new DicomDataset();
            ds.Set(new DicomSequence(Container, [holder]));
        }

        holder.Set(DicomValueElement.FromStrings(creatorTag, DicomVR.LO, ["GEMS_ACQU_01"]));
        var safeVr = placement == Placement.EncodedAsUN ? DicomVR.UN : DicomVR.DS;
        holder.Set(new DicomValueElement(safeTag, safeVr, Encoding.ASCII.GetBytes("1.5 ")));
        holder.Set(new DicomValueElement(unsafeTag, placement == Placement.EncodedAsUN ? DicomVR.UN : DicomVR.LO, Encoding.ASCII.GetBytes(Planted + " ")));
        var file = new DicomFile(ds);
        var result = await deid.DeidentifyAsync(file, null, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, context);
        holder = placement == Placement.Nested ? ((DicomSequence)file.Dataset.Get(Container)!).Items[0] : file.Dataset;
        Assert.Null(holder.Get(unsafeTag));
        if (code == "X")
        {
            Assert.Null(holder.Get(safeTag));
            Assert.Null(holder.Get(creatorTag));
        }
        else
        {
            Assert.NotNull(holder.Get(safeTag));
            Assert.Equal("GEMS_ACQU_01", holder.GetString(creatorTag));
        }
    }

    private static string ExpectedCode(JsonElement row, DeidOption? option)
    {
        if (option is { } o && row.GetProperty("options").TryGetProperty(DeidOptionInfo.Key(o), out var c))
        {
            return c.GetString()!;
        }

        return row.GetProperty("basicProfile").GetString()!;
    }

    private static DicomTag ConcreteTag(JsonElement row)
    {
        var tag = row.GetProperty("tag").GetString()!;
        return tag switch
        {
            "50XXXXXX" => new DicomTag(0x5002, 0x3000),
            "60XX3000" => new DicomTag(0x6002, 0x3000),
            "60XX4000" => new DicomTag(0x6002, 0x4000),
            _ => DicomTag.Parse(tag),
        };
    }

    private static DicomVR ConcreteVR(JsonElement row)
    {
        var vr = row.GetProperty("vr").ValueKind == JsonValueKind.String ? row.GetProperty("vr").GetString()! : null;
        return vr switch
        {
            null => DicomVR.OB,
            "OB or OW" => DicomVR.OW,
            "US or SS" => DicomVR.US,
            _ => DicomVR.Parse(vr),
        };
    }

    private static string OriginalValue(DicomVR vr, string code) => vr.Code switch
    {
        "AE" => code == "C" ? Planted : "AETITLE1",
        "AS" => "045Y",
        "CS" => code == "C" ? Planted : "VALUE1",
        "DA" => "20200102",
        "DS" => "1.5",
        "DT" => "20200102030405",
        "IS" => "7",
        "LO" => code == "C" ? "Seen " + Planted : "Some text",
        "LT" => code == "C" ? "Long " + Planted : "Long text",
        "PN" => code == "C" ? Planted + "^Richard" : "Roe^Richard",
        "SH" => code == "C" ? Planted : "SHORTVAL",
        "ST" => code == "C" ? "Short " + Planted : "Short text",
        "TM" => "101010",
        "UC" => code == "C" ? "Unlimited " + Planted : "Unlimited",
        "UI" => "1.2.3.4.5.6",
        "UR" => "http://example.com/x",
        "UT" => code == "C" ? "Text " + Planted : "Unlimited text",
        _ => string.Empty,
    };

    private static DicomElement Make(DicomTag tag, DicomVR vr, string original)
    {
        if (vr == DicomVR.SQ)
        {
            var item = new DicomDataset();
            item.Set(DicomValueElement.FromStrings(CodeValue, DicomVR.SH, ["CODE1"]));
            item.Set(DicomValueElement.FromStrings(ReferencedSopInstanceUid, DicomVR.UI, ["1.2.3.99"]));
            return new DicomSequence(tag, [item]);
        }

        return new DicomValueElement(tag, vr, Encode(vr, original));
    }

    private static DicomElement AsUN(DicomTag tag, DicomVR vr, string original)
    {
        if (vr == DicomVR.SQ)
        {
            // One defined-length item holding (0008,0100) "CODE1 " in implicit VR little endian (CP-246 layout).
            var element = new byte[] { 0x08, 0x00, 0x00, 0x01, 6, 0, 0, 0 }.Concat(Encoding.ASCII.GetBytes("CODE1 ")).ToArray();
            var item = new byte[] { 0xFE, 0xFF, 0x00, 0xE0, (byte)element.Length, 0, 0, 0 }.Concat(element).ToArray();
            return new DicomValueElement(tag, DicomVR.UN, item);
        }

        return new DicomValueElement(tag, DicomVR.UN, Encode(vr, original));
    }

    private static byte[] Encode(DicomVR vr, string original)
    {
        if (vr.IsString)
        {
            return DicomValueElement.FromStrings(new DicomTag(0x0009, 0x0010), vr, [original]).GetBytes().ToArray();
        }

        return vr.Code switch
        {
            "US" or "SS" => [1, 0],
            "UL" or "SL" or "FL" or "AT" => [1, 0, 0, 0],
            "FD" or "SV" or "UV" => [1, 0, 0, 0, 0, 0, 0, 0],
            _ => [1, 2, 3, 4],
        };
    }

    private static string Str(DicomDataset holder, DicomElement e)
    {
        var v = (DicomValueElement)e;
        var vr = v.VR == DicomVR.UN ? DicomDictionary.Lookup(v.Tag)?.VRs[0] ?? DicomVR.UN : v.VR;
        return new DicomValueElement(v.Tag, vr, v.GetBytes()).GetString(holder.CharacterSet);
    }

    private static List<JsonElement> LoadRows()
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "data", "dicom", "confidentiality_profile.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("attributes").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
