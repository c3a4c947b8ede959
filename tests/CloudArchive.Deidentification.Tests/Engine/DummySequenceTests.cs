using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

/// <summary>D on a sequence keeps one item with dummy values, so Type 1 / 1C sequences stay conformant (§2).</summary>
public class DummySequenceTests
{
    private static readonly DicomTag VerifyingObserverSequence = new(0x0040, 0xA073);
    private static readonly DicomTag VerifyingOrganization = new(0x0040, 0xA027);
    private static readonly DicomTag VerificationDateTime = new(0x0040, 0xA030);
    private static readonly DicomTag VerifyingObserverName = new(0x0040, 0xA075);
    private static readonly DicomTag VerifyingObserverIdCodeSequence = new(0x0040, 0xA088);
    private static readonly DicomTag VerificationFlag = new(0x0040, 0xA493);

    public static TheoryData<string> OptionSets()
    {
        var data = new TheoryData<string> { "basic", "all" };
        foreach (var o in DeidOptionInfo.All)
        {
            data.Add(DeidOptionInfo.Key(o));
        }

        return data;
    }

    private static DeidOption[] Options(string set) => set switch
    {
        "basic" => [],
        "all" => DeidOptionInfo.All.Where(o => o != DeidOption.RetainLongitudinalFullDates).ToArray(),
        _ => DeidOptionInfo.All.Where(o => DeidOptionInfo.Key(o) == set).ToArray(),
    };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public async Task Verified_SR_keeps_one_verifying_observer_with_dummy_values_and_dciodvfy_errors_do_not_rise(string optionSet)
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempDir();
        var input = Path.Combine(TestPaths.Samples, "test-SR.dcm");
        var processor = new DeidFileProcessor(SampleCorpusTests.Permissive(Options(optionSet)));
        var (report, output) = await processor.ProcessAsync(input, tmp.Path, null, ct);
        Assert.Equal(InstanceOutcome.Deidentified, report.Outcome);

        await using (var original = await DicomFile.OpenAsync(input, null, ct))
        await using (var result = await DicomFile.OpenAsync(output!, null, ct))
        {
            Assert.Equal("VERIFIED", result.Dataset.GetString(VerificationFlag));
            var before = Assert.IsType<DicomSequence>(original.Dataset[VerifyingObserverSequence]).Items;
            Assert.Equal(2, before.Count);
            var item = Assert.Single(Assert.IsType<DicomSequence>(result.Dataset[VerifyingObserverSequence]).Items);
            foreach (var tag in new[] { VerifyingOrganization, VerificationDateTime, VerifyingObserverName })
            {
                var value = item.GetString(tag);
                Assert.False(string.IsNullOrWhiteSpace(value), $"{tag} (Type 1 in the item) must have a value");
                if (tag != VerificationDateTime || optionSet != "retainLongitudinalFullDates")
                {
                    Assert.DoesNotContain(before, b => b.GetString(tag) == value);
                }
            }

            // Its identification code sequence is Z (Type 2): emptied, so the observer's code "1705"/"JR" is gone.
            Assert.Empty(Assert.IsType<DicomSequence>(item[VerifyingObserverIdCodeSequence]).Items);
            Assert.Contains(report.Attributes, a => a.Path == VerifyingObserverSequence.ToString() && a.Outcome == AttributeOutcome.Replaced);
        }

        var bytes = await File.ReadAllBytesAsync(output!, ct);
        foreach (var token in new[] { "Riesmeier", "OFFIS e.V.", "Organisation", "Observer^Verifying", "1705" })
        {
            Assert.True(bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(token)) < 0, $"'{token}' must not survive");
        }

        if (ExternalTool.Exists("dciodvfy"))
        {
            var errorsBefore = await SampleCorpusTests.ErrorCount(input, ct);
            var errorsAfter = await SampleCorpusTests.ErrorCount(output!, ct);
            Assert.NotNull(errorsBefore);
            Assert.NotNull(errorsAfter);
            Assert.True(errorsAfter <= errorsBefore, $"dciodvfy errors rose from {errorsBefore} to {errorsAfter}");
            var verdict = await ExternalTool.RunAsync("dciodvfy", [output!], ct);
            Assert.DoesNotContain("VerifyingObserverSequence", verdict.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task D_sequence_item_gets_dummies_for_removed_or_emptied_values_drops_other_items_and_private_data()
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.88.33");
        ds.SetString(DicomTags.SOPInstanceUID, "1.2.3.4.9");
        ds.SetString(new DicomTag(0x0010, 0x0020), "MRN-42");
        var seq = new DicomSequence(VerifyingObserverSequence);
        foreach (var (org, name) in new[] { ("St Elsewhere", "Smith^John"), ("Other Clinic", "Jones^Ann") })
        {
            var item = new DicomDataset();
            item.SetString(VerifyingOrganization, org);                        // X in Table E.1-1
            item.SetString(VerificationDateTime, "20010213184746");            // D
            item.SetString(VerifyingObserverName, name);                       // D
            item.Set(new DicomSequence(VerifyingObserverIdCodeSequence));      // Z (a sequence: stays empty)
            item.SetString(new DicomTag(0x0029, 0x0010), "ACME 1.0", DicomVR.LO);
            item.SetString(new DicomTag(0x0029, 0x1010), "private note", DicomVR.LO);
            seq.Items.Add(item);
        }

        ds.Set(seq);
        var deid = new Deidentifier(DeidSettings.Create("t", [], pixel: new PixelPolicy(false, [], [])), KeyedMapperTests.Secret());
        var result = await deid.DeidentifyAsync(new DicomFile(ds), null, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);

        var kept = Assert.Single(((DicomSequence)ds[VerifyingObserverSequence]).Items);
        Assert.StartsWith("ANON", kept.GetString(VerifyingOrganization), StringComparison.Ordinal);
        Assert.NotEqual("20010213184746", kept.GetString(VerificationDateTime));
        Assert.False(string.IsNullOrEmpty(kept.GetString(VerificationDateTime)));
        Assert.DoesNotContain("Smith", kept.GetString(VerifyingObserverName), StringComparison.Ordinal);
        Assert.Empty(((DicomSequence)kept[VerifyingObserverIdCodeSequence]).Items);
        Assert.DoesNotContain(kept.Tags, t => (t.Group & 1) == 1);
        Assert.Contains(result.Report.Attributes, a => a.Path == "(0040,A073)[0](0040,A027)" && a.Outcome == AttributeOutcome.Replaced && a.Code == "D");
        Assert.DoesNotContain("Smith", result.Report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task D_sequence_without_items_stays_without_items()
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SOPInstanceUID, "1.2.3.4.10");
        ds.Set(new DicomSequence(VerifyingObserverSequence));
        var deid = new Deidentifier(DeidSettings.Create("t", [], pixel: new PixelPolicy(false, [], [])), KeyedMapperTests.Secret());
        var result = await deid.DeidentifyAsync(new DicomFile(ds), null, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);
        Assert.Empty(((DicomSequence)ds[VerifyingObserverSequence]).Items);
    }
}
