using CloudArchive.Core.DicomWeb.Clinical;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Core.Tests.DicomWeb.Clinical;

/// <summary>Frame boundaries worked out from a by-reference header parse, checked against the samples' own pixel data.</summary>
public sealed class FrameLayoutTests
{
    private static readonly DicomReaderOptions ByReference = new() { BulkDataThreshold = 16 * 1024 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "dicom", name);

    [Fact]
    public async Task Native_frames_are_fixed_slices_at_the_pixel_data_offset_of_the_source()
    {
        var bytes = await File.ReadAllBytesAsync(Sample("emri_small.dcm"), Ct);
        await using var file = await DicomReader.ReadAsync(new MemoryStream(bytes), ByReference, Ct);
        var layout = FrameLayout.Of(file);
        Assert.Equal(10, layout.NumberOfFrames);
        Assert.False(layout.IsEncapsulated);
        var pixels = ((DicomValueElement)file.Dataset[DicomTags.PixelData]).GetBytes().ToArray();
        var frame = pixels.Length / 10;
        var piece = Assert.Single(layout.Frame(4));
        Assert.Null(piece.Inline);
        Assert.Equal(frame, piece.Length);
        Assert.Equal(pixels.AsSpan(3 * frame, frame).ToArray(), bytes.AsSpan((int)piece.Offset, frame).ToArray());
    }

    [Fact]
    public async Task Encapsulated_frames_are_their_fragments()
    {
        var bytes = await File.ReadAllBytesAsync(Sample("examples_ybr_color.dcm"), Ct);
        await using var file = await DicomReader.ReadAsync(new MemoryStream(bytes), ByReference, Ct);
        var layout = FrameLayout.Of(file);
        Assert.True(layout.IsEncapsulated);
        Assert.Equal(30, layout.NumberOfFrames);
        var fragments = ((DicomFragmentSequence)file.Dataset[DicomTags.PixelData]).Fragments;
        var pieces = layout.Frame(30);
        Assert.Equal(fragments[29].Length, pieces.Sum(p => p.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task A_frame_outside_the_instance_is_refused(int number)
    {
        await using var file = await DicomReader.ReadAsync(File.OpenRead(Sample("emri_small.dcm")), ByReference, Ct);
        var ex = Assert.Throws<FrameLocationException>(() => FrameLayout.Of(file).Frame(number));
        Assert.Equal("frame-out-of-range", ex.Code);
    }

    [Fact]
    public void An_instance_without_pixel_data_has_no_frames()
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SOPInstanceUID, "1.2.3");
        var ex = Assert.Throws<FrameLocationException>(() => FrameLayout.Of(new DicomFile(ds)));
        Assert.Equal("no-pixel-data", ex.Code);
    }

    [Fact]
    public void Pixel_data_smaller_than_its_frames_say_is_unlocatable()
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0028, 0x0008), "4");
        ds.Set(DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0010), DicomVR.US, 2));
        ds.Set(DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0011), DicomVR.US, 2));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 8));
        ds.Set(new DicomValueElement(DicomTags.PixelData, DicomVR.OB, new byte[8]));
        var ex = Assert.Throws<FrameLocationException>(() => FrameLayout.Of(new DicomFile(ds, TransferSyntax.ExplicitVRLittleEndian)));
        Assert.Equal("frames-unlocatable", ex.Code);
    }

    [Fact]
    public void Inline_native_frames_are_served_from_memory()
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0028, 0x0008), "2");
        ds.Set(DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0010), DicomVR.US, 2));
        ds.Set(DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0011), DicomVR.US, 2));
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 8));
        ds.Set(new DicomValueElement(DicomTags.PixelData, DicomVR.OB, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
        var piece = Assert.Single(FrameLayout.Of(new DicomFile(ds, TransferSyntax.ExplicitVRLittleEndian)).Frame(2));
        Assert.Equal(new byte[] { 5, 6, 7, 8 }, piece.Inline!.Value.ToArray());
    }
}
