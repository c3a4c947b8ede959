using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Reading;

public sealed class DicomSnifferTests
{
    private static DicomSniffResult Sniff(byte[] bytes) => DicomSniffer.Classify(bytes.AsSpan(0, Math.Min(bytes.Length, DicomSniffer.HeadLength)));

    [Theory]
    [InlineData("CT_small.dcm", DicomSniffResult.Part10)]
    [InlineData("MR_truncated.dcm", DicomSniffResult.Part10)]
    [InlineData("ExplVR_LitEndNoMeta.dcm", DicomSniffResult.BareDataset)]
    [InlineData("ExplVR_BigEndNoMeta.dcm", DicomSniffResult.BareDataset)]
    public void Real_files_are_recognised_as_DICOM_even_when_broken_or_without_a_header(string sample, DicomSniffResult expected)
    {
        Assert.Equal(expected, Sniff(File.ReadAllBytes(Samples.PathOf(sample))));
    }

    [Fact]
    public void A_part10_file_cut_just_after_DICM_is_still_DICOM()
    {
        Assert.Equal(DicomSniffResult.Part10, Sniff(File.ReadAllBytes(Samples.PathOf("CT_small.dcm"))[..DicomSniffer.HeadLength]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("this is a text file, not an image\n")]
    [InlineData("%PDF-1.7 a report someone saved as .dcm")]
    public void Empty_and_text_files_are_not_DICOM(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        Assert.Equal(text.Length == 0 ? DicomSniffResult.Empty : DicomSniffResult.NotDicom, Sniff(bytes));
    }
}
