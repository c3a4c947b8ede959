using Xunit;

namespace CloudArchive.Cli.Tests.Dicom;

public sealed class DicomDumpCommandTests
{
    [Fact]
    public async Task Dump_shows_nested_sequence_items_indented_under_their_sequence()
    {
        var r = await CliRun.RunAsync("dicom", "dump", SamplePaths.Of("UN_sequence.dcm"));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Error);
        var lines = r.Output.Split('\n');
        // (4453,100C) item 0 -> (0008,1115) item 0 -> (0008,1199) item 0 -> (0008,1155): 3 levels of 4 spaces.
        Assert.Contains(lines, l => l.StartsWith("(4453,100C) ", StringComparison.Ordinal) && l.Contains("#=1)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    (0008,1115) SQ (Sequence with undefined length #=1)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("        (0008,1199) SQ ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("            (0008,1155) UI [1.2.840.113619.2.327.3.185221411.476.1398588726.278.80]", StringComparison.Ordinal)
            && l.EndsWith("#   54, 1 ReferencedSOPInstanceUID", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  (FFFE,E000) na (Item with undefined length #=2)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dump_prints_meta_header_values_lengths_and_keywords()
    {
        var r = await CliRun.RunAsync("dicom", "dump", SamplePaths.Of("CT_small.dcm"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("# Used TransferSyntax: 1.2.840.10008.1.2.1 (Explicit VR Little Endian)", r.Output, StringComparison.Ordinal);
        Assert.Matches(@"\n\(0002,0010\) UI \[1\.2\.840\.10008\.1\.2\.1\] +#   20, 1 TransferSyntaxUID\n", r.Output);
        Assert.Matches(@"\n\(0028,0010\) US 128 +#    2, 1 Rows\n", r.Output);
        // OtherPatientIDsSequence: two items, each with its own PatientID.
        Assert.Contains("(0010,1002) SQ (Sequence with explicit length #=2)", r.Output, StringComparison.Ordinal);
        Assert.Contains("    (0010,0020) LO [ABCD1234]", r.Output, StringComparison.Ordinal);
        Assert.Contains("    (0010,0020) LO [1234ABCD]", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_cuts_long_values_unless_full_is_given()
    {
        var cut = await CliRun.RunAsync("dicom", "dump", SamplePaths.Of("MR_small.dcm"));
        var full = await CliRun.RunAsync("dicom", "dump", "--full", SamplePaths.Of("MR_small.dcm"));

        Assert.Equal(0, cut.ExitCode);
        Assert.Equal(0, full.ExitCode);
        var pixelCut = cut.Output.Split('\n').Single(l => l.StartsWith("(7FE0,0010) OW ", StringComparison.Ordinal));
        Assert.Contains("...", pixelCut, StringComparison.Ordinal);
        Assert.EndsWith("# 8192, 1 PixelData", pixelCut, StringComparison.Ordinal);
        Assert.True(full.Output.Length >= cut.Output.Length);
    }

    [Fact]
    public async Task Dump_shows_encapsulated_fragments_as_items_of_a_pixel_sequence()
    {
        var r = await CliRun.RunAsync("dicom", "dump", SamplePaths.Of("examples_ybr_color.dcm"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("(7FE0,0010) OB (PixelSequence #=31)", r.Output, StringComparison.Ordinal);
        Assert.Equal(31, r.Output.Split('\n').Count(l => l.StartsWith("  (FFFE,E000) pi ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Dump_of_a_truncated_file_fails_with_offset_tag_and_reason_and_no_stack_trace()
    {
        var r = await CliRun.RunAsync("dicom", "dump", SamplePaths.Of("MR_truncated.dcm"));

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.Output);
        Assert.StartsWith("error: MR_truncated.dcm is not valid DICOM: ", r.Error, StringComparison.Ordinal);
        Assert.Matches(@"at byte offset \d+, tag \(7FE0,0010\)", r.Error);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("rtplan_truncated.dcm")]
    [InlineData("emri_small_jpeg_2k_lossless_too_short.dcm")]
    [InlineData("no_meta.dcm")]
    public async Task Dump_of_an_unreadable_sample_exits_1_with_one_error_line(string sample)
    {
        var r = await CliRun.RunAsync("dicom", "dump", SamplePaths.Of(sample));

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: {sample} is not valid DICOM: ", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_of_a_missing_file_exits_3()
    {
        var r = await CliRun.RunAsync("dicom", "dump", Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.dcm"));

        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith("error: file not found: missing-", r.Error, StringComparison.Ordinal);
    }
}
