using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class PixelBlankerTests
{
    [Fact]
    public async Task Rectangles_are_zeroed_in_every_frame_of_16_bit_data()
    {
        var g = new PixelGeometry(Rows: 3, Columns: 4, SamplesPerPixel: 1, BitsAllocated: 16, PlanarConfiguration: 0, Frames: 2);
        var src = Enumerable.Range(0, (int)g.FrameBytes * 2).Select(i => (byte)(i % 251 + 1)).ToArray();
        var dst = new MemoryStream();
        await PixelBlanker.CopyBlankedAsync(new MemoryStream(src), dst, src.Length, g, [new PixelRectangle(1, 1, 2, 1)], TestContext.Current.CancellationToken);
        var o = dst.ToArray();
        Assert.Equal(src.Length, o.Length);
        for (var f = 0; f < 2; f++)
        {
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 4; c++)
                {
                    var at = (int)(f * g.FrameBytes) + (((r * 4) + c) * 2);
                    var inside = r == 1 && c is 1 or 2;
                    Assert.Equal(inside ? 0 : src[at], o[at]);
                    Assert.Equal(inside ? 0 : src[at + 1], o[at + 1]);
                }
            }
        }
    }

    [Fact]
    public async Task Planar_rgb_blanks_each_plane()
    {
        var g = new PixelGeometry(2, 2, 3, 8, 1, 1);
        var src = Enumerable.Repeat((byte)9, 12).ToArray();
        var dst = new MemoryStream();
        await PixelBlanker.CopyBlankedAsync(new MemoryStream(src), dst, 12, g, [new PixelRectangle(0, 0, 1, 1)], TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0, 9, 9, 9, 0, 9, 9, 9, 0, 9, 9, 9 }, dst.ToArray());
    }

    [Fact]
    public async Task Interleaved_rgb_blanks_whole_pixels_and_copies_padding()
    {
        var g = new PixelGeometry(1, 3, 3, 8, 0, 1);
        var src = Enumerable.Repeat((byte)5, 10).ToArray();
        var dst = new MemoryStream();
        await PixelBlanker.CopyBlankedAsync(new MemoryStream(src), dst, 10, g, [new PixelRectangle(1, 0, 1, 1)], TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 5, 5, 5, 0, 0, 0, 5, 5, 5, 5 }, dst.ToArray());
    }

    [Fact]
    public async Task Short_pixel_data_and_one_bit_data_are_typed_errors()
    {
        var g = new PixelGeometry(2, 2, 1, 8, 0, 1);
        var e = await Assert.ThrowsAsync<DeidentificationException>(() => PixelBlanker.CopyBlankedAsync(new MemoryStream(new byte[3]), new MemoryStream(), 3, g, [new PixelRectangle(0, 0, 1, 1)], TestContext.Current.CancellationToken));
        Assert.Equal(DeidFailure.PixelDataUnsupported, e.Failure);
        Assert.NotNull(PixelBlanker.Validate(g with { BitsAllocated = 1 }, []));
        Assert.NotNull(PixelBlanker.Validate(g, [new PixelRectangle(1, 1, 2, 1)]));
    }
}
