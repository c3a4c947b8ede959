using Xunit;

namespace CloudArchive.Dicom.Tests.Json;

/// <summary>Frame boundaries of synthetic Pixel Data (the samples are checked against pydicom in the WADO-RS tests).</summary>
public sealed class DicomPixelFramesTests
{
    private static DicomDataset Encapsulated(int frames, uint[] offsets, params byte[][] fragments)
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0028, 0x0008), frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var table = new byte[offsets.Length * 4];
        for (var i = 0; i < offsets.Length; i++)
        {
            BitConverter.TryWriteBytes(table.AsSpan(i * 4), offsets[i]);
        }

        ds.Add(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, new DicomFragment(table), fragments.Select(f => new DicomFragment(f))));
        return ds;
    }

    private static byte[] Read(DicomPixelFrame frame)
    {
        using var s = frame.OpenRead();
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void The_basic_offset_table_groups_fragments_into_frames()
    {
        // Fragments of 4, 2, 6 and 2 bytes: items start at 0, 12, 22, 36; frame 2 starts at the third fragment.
        var ds = Encapsulated(2, [0, 22], [1, 1, 1, 1], [2, 2], [3, 3, 3, 3, 3, 3], [4, 4]);
        var frames = DicomPixelFrames.GetFrames(ds);
        Assert.Equal([1, 1, 1, 1, 2, 2], Read(frames[0]));
        Assert.Equal([3, 3, 3, 3, 3, 3, 4, 4], Read(frames[1]));
        Assert.Equal(8, frames[1].Length);
    }

    [Fact]
    public void One_frame_is_every_fragment_and_as_many_fragments_as_frames_is_one_each()
    {
        Assert.Equal([1, 1, 2, 2], Read(Assert.Single(DicomPixelFrames.GetFrames(Encapsulated(1, [], [1, 1], [2, 2])))));
        Assert.Equal([[1, 1], [2, 2]], DicomPixelFrames.GetFrames(Encapsulated(2, [], [1, 1], [2, 2])).Select(Read));
    }

    [Fact]
    public void Frames_that_cannot_be_told_apart_are_refused()
    {
        Assert.Throws<DicomFormatException>(() => DicomPixelFrames.GetFrames(Encapsulated(2, [], [1, 1], [2, 2], [3, 3])));
        Assert.Throws<DicomFormatException>(() => DicomPixelFrames.GetFrames(Encapsulated(2, [0, 5], [1, 1], [2, 2], [3, 3])));
        Assert.Throws<DicomFormatException>(() => DicomPixelFrames.GetFrames(new DicomDataset()));
    }

    [Fact]
    public void Native_frames_are_runs_of_the_frame_size_and_short_pixel_data_is_refused()
    {
        var ds = new DicomDataset();
        ds.Add(DicomValueElement.FromValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)2));
        ds.Add(DicomValueElement.FromValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)2));
        ds.Add(DicomValueElement.FromValues(new DicomTag(0x0028, 0x0002), DicomVR.US, (ushort)1));
        ds.Add(DicomValueElement.FromValues(DicomTags.BitsAllocated, DicomVR.US, (ushort)8));
        ds.SetString(new DicomTag(0x0028, 0x0008), "3");
        ds.Add(new DicomValueElement(DicomTags.PixelData, DicomVR.OB, Enumerable.Range(0, 12).Select(i => (byte)i).ToArray()));
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], DicomPixelFrames.GetFrames(ds).Select(Read));

        ds.SetString(new DicomTag(0x0028, 0x0008), "4");
        Assert.Throws<DicomFormatException>(() => DicomPixelFrames.GetFrames(ds));
        ds.SetString(new DicomTag(0x0028, 0x0008), "x");
        Assert.Throws<DicomFormatException>(() => DicomPixelFrames.GetFrames(ds));
    }
}
