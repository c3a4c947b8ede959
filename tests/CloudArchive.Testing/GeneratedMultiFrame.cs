using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Testing;

/// <summary>
/// A Secondary Capture multi-frame dataset of 16-bit monochrome frames whose Pixel Data is generated on demand
/// (<see cref="GeneratedPixelStream"/>), so multi-GiB instances can be written without holding them in memory.
/// Callers add the identifying attributes they need. Shared by the benchmarks (multi-GiB instances) and the tests
/// (instances of several encryption regions).
/// </summary>
public static class GeneratedMultiFrame
{
    /// <summary>Builds the dataset with SOP class, modality, image pixel module and the generated Pixel Data.</summary>
    public static DicomDataset Create(int rows, int columns, long frames, long pixelLength)
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7.3");
        ds.SetString(new DicomTag(0x0008, 0x0060), "OT");
        ds.Set(DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0002), DicomVR.US, 1));
        ds.SetString(new DicomTag(0x0028, 0x0004), "MONOCHROME2");
        ds.SetString(new DicomTag(0x0028, 0x0008), frames.ToString(CultureInfo.InvariantCulture));
        ds.Set(DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)rows));
        ds.Set(DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)columns));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16));
        ds.Set(DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0101), DicomVR.US, 16));
        ds.Set(DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0102), DicomVR.US, 15));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 0));
        ds.Set(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, DicomBulkData.FromStreamFactory(() => new GeneratedPixelStream(pixelLength), pixelLength)));
        return ds;
    }
}
