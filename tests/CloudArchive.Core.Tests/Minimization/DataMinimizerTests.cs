using CloudArchive.Core.Minimization;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Core.Tests.Minimization;

public sealed class DataMinimizerTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag PatientAddress = new(0x0010, 0x1040);
    private static readonly DicomTag PatientTelephoneNumbers = new(0x0010, 0x2154);
    private static readonly DicomTag PatientComments = new(0x0010, 0x4000);
    private static readonly DicomTag Modality = new(0x0008, 0x0060);
    private static readonly DicomTag ReferencedStudySequence = new(0x0008, 0x1110);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MinimizationPolicy Policy(string extra = "") => MinimizationPolicyLoader.Parse(
        """
        {"schema":"cloudarchive/minimization-policy/v1","name":"T","rules":[
          {"id":"demo","description":"d","remove":["PatientAddress","PatientTelephoneNumbers"]},
          {"id":"mg","description":"d","when":{"modalities":["MG"]},"remove":["PatientComments"]}
        ]
        """ + extra + "}", "t.json");

    private static DicomDataset Dataset(string modality = "CT")
    {
        var ds = new DicomDataset();
        ds.SetString(Modality, modality);
        ds.SetString(PatientName, "PLANTED^NAME");
        ds.SetString(PatientAddress, "1 Planted Street");
        ds.SetString(PatientComments, "free text");
        var item = new DicomDataset();
        item.SetString(PatientTelephoneNumbers, "555-0100");
        item.SetString(new DicomTag(0x0008, 0x1150), "1.2.840.10008.3.1.2.3.1");
        ds.Set(new DicomSequence(ReferencedStudySequence, [item]));
        return ds;
    }

    [Fact]
    public void Listed_attributes_are_removed_at_every_level_and_reported_by_path()
    {
        var ds = Dataset();

        var report = new DataMinimizer(Policy()).Apply(ds);

        Assert.True(report.Changed);
        Assert.Equal(["demo"], report.AppliedRules);
        Assert.Equal(["(0010,1040)", "(0008,1110)[0].(0010,2154)"], report.RemovedPaths);
        Assert.False(ds.Contains(PatientAddress));
        Assert.True(ds.Contains(PatientName));
        Assert.True(ds.Contains(PatientComments));
        var item = ((DicomSequence)ds[ReferencedStudySequence]).Items[0];
        Assert.False(item.Contains(PatientTelephoneNumbers));
        Assert.True(item.Contains(new DicomTag(0x0008, 0x1150)));
    }

    [Fact]
    public void The_report_carries_no_values()
    {
        var report = new DataMinimizer(Policy()).Apply(Dataset());

        Assert.DoesNotContain(report.RemovedPaths, p => p.Contains("Planted", StringComparison.OrdinalIgnoreCase) || p.Contains("555", StringComparison.Ordinal));
    }

    [Fact]
    public void Modality_rules_apply_only_to_their_modality()
    {
        var mammo = Dataset("MG");

        var report = new DataMinimizer(Policy()).Apply(mammo);

        Assert.Equal(["demo", "mg"], report.AppliedRules);
        Assert.False(mammo.Contains(PatientComments));
    }

    [Fact]
    public void An_instance_without_modality_gets_modality_limited_removals_too()
    {
        var ds = Dataset();
        ds.Remove(Modality);

        var report = new DataMinimizer(Policy()).Apply(ds);

        Assert.Equal(["demo", "mg"], report.AppliedRules);
        Assert.False(ds.Contains(PatientComments));
    }

    [Fact]
    public void Sop_class_rules_apply_only_to_their_sop_class()
    {
        var policy = MinimizationPolicyLoader.Parse(
            """{"schema":"cloudarchive/minimization-policy/v1","name":"T","rules":[{"id":"sr","description":"d","when":{"sopClasses":["1.2.840.10008.5.1.4.1.1.88.33"]},"remove":["PatientComments"]}]}""", "t.json");
        var ct = Dataset();
        ct.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
        var sr = Dataset();
        sr.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.88.33");

        Assert.False(new DataMinimizer(policy).Apply(ct).Changed);
        Assert.Equal(["(0010,4000)"], new DataMinimizer(policy).Apply(sr).RemovedPaths);
    }

    [Fact]
    public void Nothing_to_remove_means_unchanged()
    {
        var ds = new DicomDataset();
        ds.SetString(PatientName, "A^B");

        var report = new DataMinimizer(Policy()).Apply(ds);

        Assert.False(report.Changed);
        Assert.Empty(report.RemovedPaths);
        Assert.Single(ds);
    }

    [Fact]
    public void Private_blocks_are_kept_only_for_listed_creators()
    {
        var ds = new DicomDataset();
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0019, 0x0010), DicomVR.LO, ["KEEP ME"]));
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0019, 0x1001), DicomVR.LO, ["kept value"]));
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0019, 0x0011), DicomVR.LO, ["OTHER VENDOR"]));
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0019, 0x1101), DicomVR.LO, ["dropped value"]));
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0021, 0x1001), DicomVR.LO, ["orphan"]));
        ds.Set(DicomValueElement.FromValues(new DicomTag(0x0021, 0x0000), DicomVR.UL, 20u));
        ds.SetString(PatientName, "A^B");

        var report = new DataMinimizer(Policy(""", "privateCreators": {"keep": ["keep me"]}""")).Apply(ds);

        Assert.Equal(["(0019,0011)", "(0019,1101)", "(0021,0000)", "(0021,1001)"], report.RemovedPaths);
        Assert.True(ds.Contains(new DicomTag(0x0019, 0x0010)));
        Assert.True(ds.Contains(new DicomTag(0x0019, 0x1001)));
        Assert.True(ds.Contains(PatientName));
    }

    [Fact]
    public void Dropping_every_block_of_a_wide_instance_moves_a_linear_number_of_slots()
    {
        // Removing one element at a time from a shifting list was quadratic: a CPU denial of service at ingest.
        const int n = 60_000;
        var ds = new DicomDataset();
        ds.SetString(PatientName, "A^B");
        var written = 0;
        for (var group = (ushort)0x0051; written < n; group += 2)
        {
            for (var block = 0x10; block <= 0xFF && written < n; block++, written++)
            {
                ds.Set(DicomValueElement.FromStrings(new DicomTag(group, (ushort)block), DicomVR.LO, ["VENDOR " + block]));
                for (var e = 0; e <= 0xFF && written < n; e++, written++)
                {
                    ds.Set(new DicomValueElement(new DicomTag(group, (ushort)((block << 8) | e)), DicomVR.UN, ReadOnlyMemory<byte>.Empty));
                }
            }
        }

        var before = ds.ElementMoves;

        var report = new DataMinimizer(Policy(""", "privateCreators": {"keep": ["keep me"]}""")).Apply(ds);

        Assert.True(report.RemovedPaths.Count >= n - 300);
        Assert.Equal([PatientName], ds.Tags.ToArray());
        Assert.InRange(ds.ElementMoves - before, 0, 2L * n);
    }

    [Fact]
    public void Without_an_allow_list_private_data_is_kept()
    {
        var ds = new DicomDataset();
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0019, 0x0010), DicomVR.LO, ["ANY"]));
        ds.Set(DicomValueElement.FromStrings(new DicomTag(0x0019, 0x1001), DicomVR.LO, ["v"]));

        Assert.False(new DataMinimizer(Policy()).Apply(ds).Changed);
        Assert.Equal(2, ds.Count);
    }

    [Fact]
    public async Task A_real_CT_keeps_only_allow_listed_GE_blocks_and_its_pixel_data_bytes()
    {
        var policy = await MinimizationPolicyLoader.LoadFileAsync(Path.Combine(AppContext.BaseDirectory, "policies", "minimization", "example-private-allowlist.json"), Ct);
        var path = Path.Combine(AppContext.BaseDirectory, "dicom", "CT_small.dcm");
        await using var file = await DicomFile.OpenAsync(path, cancellationToken: Ct);
        var pixelsBefore = ((DicomValueElement)file.Dataset[DicomTags.PixelData]).GetBytes();
        var creatorsBefore = Creators(file.Dataset);
        Assert.Contains("GEMS_IDEN_01", creatorsBefore);
        Assert.Contains("GEMS_ACQU_01", creatorsBefore);

        var report = new DataMinimizer(policy).Apply(file.Dataset);

        using var output = new MemoryStream();
        await file.WriteAsync(output, cancellationToken: Ct);
        output.Position = 0;
        await using var reread = await DicomFile.ReadAsync(output, cancellationToken: Ct);
        var creatorsAfter = Creators(reread.Dataset);
        Assert.True(report.Changed);
        Assert.DoesNotContain("GEMS_IDEN_01", creatorsAfter);
        Assert.Contains("GEMS_ACQU_01", creatorsAfter);
        Assert.All(reread.Dataset.Where(e => e.Tag.IsPrivate), e => Assert.True(
            e.Tag.IsPrivateCreator ? policy.KeptPrivateCreators!.Contains(reread.Dataset.GetString(e.Tag)!.Trim()) : policy.KeptPrivateCreators!.Contains(reread.Dataset.GetPrivateCreator(e.Tag)!)));
        Assert.Equal(pixelsBefore, ((DicomValueElement)reread.Dataset[DicomTags.PixelData]).GetBytes());
        Assert.Equal(file.Dataset.GetString(PatientName), reread.Dataset.GetString(PatientName));
    }

    [Fact]
    public async Task The_default_policy_leaves_a_CT_without_demographics_untouched()
    {
        var policy = await MinimizationPolicyLoader.LoadFileAsync(Path.Combine(AppContext.BaseDirectory, "policies", "minimization", "default.json"), Ct);
        await using var file = await DicomFile.OpenAsync(Path.Combine(AppContext.BaseDirectory, "dicom", "CT_small.dcm"), cancellationToken: Ct);
        var countBefore = file.Dataset.Descendants().Count();

        var report = new DataMinimizer(policy).Apply(file.Dataset);

        Assert.False(report.Changed);
        Assert.Equal(["non-clinical-demographics"], report.AppliedRules);
        Assert.Equal(countBefore, file.Dataset.Descendants().Count());
    }

    [Fact]
    public async Task The_default_policy_removes_the_patient_address_of_a_real_MR_and_nothing_else()
    {
        var policy = await MinimizationPolicyLoader.LoadFileAsync(Path.Combine(AppContext.BaseDirectory, "policies", "minimization", "default.json"), Ct);
        await using var file = await DicomFile.OpenAsync(Path.Combine(AppContext.BaseDirectory, "dicom", "examples_overlay.dcm"), cancellationToken: Ct);
        var tagsBefore = file.Dataset.Tags.ToList();

        var report = new DataMinimizer(policy).Apply(file.Dataset);

        Assert.Equal(["(0010,1040)"], report.RemovedPaths);
        Assert.Equal(tagsBefore.Where(t => t != PatientAddress), file.Dataset.Tags);
    }

    private static HashSet<string> Creators(DicomDataset ds) =>
        ds.Where(e => e.Tag.IsPrivateCreator).Select(e => ds.GetString(e.Tag)!.Trim()).ToHashSet(StringComparer.Ordinal);
}
