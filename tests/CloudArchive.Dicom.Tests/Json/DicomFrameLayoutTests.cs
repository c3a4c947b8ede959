using Xunit;

namespace CloudArchive.Dicom.Tests.Json;

/// <summary>The one frame rule (<see cref="DicomFrameLayout"/>) that both the frame splitter and the clinical ranged reads use.</summary>
public sealed class DicomFrameLayoutTests
{
    private static DicomFragment[] Fragments(params int[] lengths) => [.. lengths.Select(l => new DicomFragment(new byte[l]))];

    [Fact]
    public void The_basic_offset_table_gives_each_frame_a_range_of_fragments()
    {
        // Items of 4, 2, 6 and 2 bytes start at 0, 12, 22 and 36.
        var ranges = DicomFrameLayout.EncapsulatedFrames(Fragments(4, 2, 6, 2), 2, () => [0, 22]);

        Assert.Equal([new Range(0, 2), new Range(2, 4)], ranges);
    }

    [Fact]
    public void The_offset_table_is_read_only_when_neither_simple_case_applies()
    {
        Func<uint[]> unread = () => throw new InvalidOperationException("the offset table was read");

        Assert.Equal([Range.All], DicomFrameLayout.EncapsulatedFrames(Fragments(2, 2, 2), 1, unread));
        Assert.Equal([new Range(0, 1), new Range(1, 2)], DicomFrameLayout.EncapsulatedFrames(Fragments(2, 2), 2, unread));
    }

    [Fact]
    public void An_offset_table_that_misses_fragment_starts_is_refused()
    {
        Assert.Throws<DicomFormatException>(() => DicomFrameLayout.EncapsulatedFrames(Fragments(2, 2, 2), 2, () => [0, 5]));
        Assert.Throws<DicomFormatException>(() => DicomFrameLayout.EncapsulatedFrames(Fragments(2, 2, 2), 2, () => [10, 20]));
        Assert.Throws<DicomFormatException>(() => DicomFrameLayout.EncapsulatedFrames(Fragments(2, 2, 2), 2, () => []));
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("3", 3)]
    [InlineData("+3", 3)]
    [InlineData("3\0", 3)]
    public void Number_of_frames_is_one_when_absent_and_a_signed_integer_string_otherwise(string? text, int expected)
    {
        var ds = new DicomDataset();
        if (text is not null)
        {
            ds.SetString(new DicomTag(0x0028, 0x0008), text);
        }

        Assert.Equal(expected, DicomFrameLayout.FrameCount(ds));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("x")]
    public void Number_of_frames_that_is_not_positive_is_refused(string text)
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0028, 0x0008), text);

        Assert.Throws<DicomFormatException>(() => DicomFrameLayout.FrameCount(ds));
    }

    [Fact]
    public void A_native_frame_is_rows_by_columns_by_samples_by_bits_and_must_fit_the_value()
    {
        var ds = new DicomDataset();
        ds.Add(DicomValueElement.FromValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)2));
        ds.Add(DicomValueElement.FromValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)3));
        ds.Add(DicomValueElement.FromValues(new DicomTag(0x0028, 0x0002), DicomVR.US, (ushort)3));
        ds.Add(DicomValueElement.FromValues(DicomTags.BitsAllocated, DicomVR.US, (ushort)16));

        Assert.Equal(36, DicomFrameLayout.NativeFrameLength(ds, 72, 2));
        Assert.Throws<DicomFormatException>(() => DicomFrameLayout.NativeFrameLength(ds, 71, 2));
    }
}
