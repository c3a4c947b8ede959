using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Cli.Tests.Dicom;

public sealed class DicomConvertCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ca-cli-convert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("implicit", "1.2.840.10008.1.2")]
    [InlineData("explicit", "1.2.840.10008.1.2.1")]
    [InlineData("big", "1.2.840.10008.1.2.2")]
    [InlineData("deflated", "1.2.840.10008.1.2.1.99")]
    [InlineData("1.2.840.10008.1.2", "1.2.840.10008.1.2")]
    public async Task Convert_writes_the_requested_transfer_syntax_and_keeps_the_values(string target, string uid)
    {
        var output = Path.Combine(_dir, "out.dcm");

        var r = await CliRun.RunAsync("dicom", "convert", SamplePaths.Of("CT_small.dcm"), output, "--transfer-syntax", target);

        Assert.True(r.ExitCode == 0, r.Error);
        var ct = TestContext.Current.CancellationToken;
        await using var written = await DicomReader.ReadFileAsync(output, cancellationToken: ct);
        await using var source = await DicomReader.ReadFileAsync(SamplePaths.Of("CT_small.dcm"), cancellationToken: ct);
        Assert.Equal(uid, written.TransferSyntax.Uid);
        Assert.Equal(uid, written.FileMetaInformation.GetString(DicomTags.TransferSyntaxUID));
        Assert.Equal(source.Dataset.Descendants().Count(), written.Dataset.Descendants().Count());
        Assert.Equal(source.Dataset.GetStrings(DicomTags.SOPInstanceUID), written.Dataset.GetStrings(DicomTags.SOPInstanceUID));
        Assert.Equal(
            ((DicomValueElement)source.Dataset[DicomTags.PixelData]).GetBytes().ToArray(),
            ((DicomValueElement)written.Dataset[DicomTags.PixelData]).GetBytes().ToArray());
    }

    [Fact]
    public async Task Undefined_lengths_option_writes_every_sequence_with_undefined_length()
    {
        var output = Path.Combine(_dir, "u.dcm");

        var r = await CliRun.RunAsync("dicom", "convert", SamplePaths.Of("test-SR.dcm"), output, "--undefined-lengths");

        Assert.True(r.ExitCode == 0, r.Error);
        await using var written = await DicomReader.ReadFileAsync(output, cancellationToken: TestContext.Current.CancellationToken);
        var sequences = written.Dataset.Descendants().OfType<DicomSequence>().ToList();
        Assert.Equal(56, sequences.Count);
        Assert.All(sequences, s => Assert.True(s.UndefinedLength));
    }

    [Fact]
    public async Task Encapsulated_input_cannot_be_converted_to_a_native_syntax_and_no_output_is_left()
    {
        var output = Path.Combine(_dir, "no.dcm");

        var r = await CliRun.RunAsync("dicom", "convert", SamplePaths.Of("JPEG-LL.dcm"), output, "-t", "explicit");

        Assert.Equal(4, r.ExitCode);
        Assert.Contains("compressed", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task Unknown_transfer_syntax_is_a_usage_error()
    {
        var r = await CliRun.RunAsync("dicom", "convert", SamplePaths.Of("CT_small.dcm"), Path.Combine(_dir, "x.dcm"), "-t", "jpeg-please");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown transfer syntax 'jpeg-please'", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conflicting_length_options_are_a_usage_error()
    {
        var r = await CliRun.RunAsync("dicom", "convert", SamplePaths.Of("CT_small.dcm"), Path.Combine(_dir, "x.dcm"), "--undefined-lengths", "--defined-lengths");

        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public async Task Failed_conversion_leaves_an_existing_output_untouched()
    {
        var output = Path.Combine(_dir, "keep.dcm");
        await File.WriteAllTextAsync(output, "previous content", TestContext.Current.CancellationToken);

        var r = await CliRun.RunAsync("dicom", "convert", SamplePaths.Of("MR_truncated.dcm"), output);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("previous content", await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFiles(_dir));
    }
}
