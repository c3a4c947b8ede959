using CloudArchive.Benchmarks.Crypto;
using CloudArchive.Dicom;

namespace CloudArchive.Benchmarks.DicomOracle;

/// <summary>
/// Writes a Multi-frame Grayscale Word Secondary Capture instance (1024 x 1024 x 16 bit frames) whose Pixel
/// Data is streamed from a generator by the project's writer: no array of that size is ever allocated.
/// </summary>
internal static class MultiFrameGenerator
{
    private const int Rows = 1024;
    private const int Columns = 1024;

    public static async Task WriteAsync(string path, long pixelBytes, CancellationToken cancellationToken)
    {
        const long FrameBytes = Rows * Columns * 2;
        var frames = Math.Max(1, pixelBytes / FrameBytes);
        var length = frames * FrameBytes;
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7.3");
        ds.SetString(DicomTags.SOPInstanceUID, "2.25.118473409233436491802716186342069587373");
        ds.SetString(DicomTag.Parse("(0008,0060)"), "OT");
        ds.SetString(DicomTag.Parse("(0010,0010)"), "BENCH^MULTIFRAME");
        ds.SetString(DicomTag.Parse("(0020,000D)"), "2.25.118473409233436491802716186342069587374");
        ds.SetString(DicomTag.Parse("(0020,000E)"), "2.25.118473409233436491802716186342069587375");
        ds.SetString(DicomTag.Parse("(0028,0004)"), "MONOCHROME2");
        ds.SetString(DicomTag.Parse("(0028,0008)"), frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTag.Parse("(0028,0002)"), DicomVR.US, 1));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTag.Parse("(0028,0010)"), DicomVR.US, Rows));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTag.Parse("(0028,0011)"), DicomVR.US, Columns));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTag.Parse("(0028,0100)"), DicomVR.US, 16));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTag.Parse("(0028,0101)"), DicomVR.US, 16));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTag.Parse("(0028,0102)"), DicomVR.US, 15));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTag.Parse("(0028,0103)"), DicomVR.US, 0));
        ds.Set(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, DicomBulkData.FromStreamFactory(() => new PatternStream(length), length)));
        var file = new DicomFile(ds, TransferSyntax.ExplicitVRLittleEndian);
        await using (file.ConfigureAwait(false))
        {
            await file.SaveAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
