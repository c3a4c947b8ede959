namespace CloudArchive.Deidentification;

/// <summary>The layout of native (uncompressed) Pixel Data needed to address a pixel.</summary>
/// <param name="Rows">(0028,0010).</param>
/// <param name="Columns">(0028,0011).</param>
/// <param name="SamplesPerPixel">(0028,0002).</param>
/// <param name="BitsAllocated">(0028,0100); a multiple of 8 (1-bit data is not supported for blanking).</param>
/// <param name="PlanarConfiguration">(0028,0006): 0 = colour-by-pixel, 1 = colour-by-plane.</param>
/// <param name="Frames">(0028,0008), 1 when absent.</param>
public readonly record struct PixelGeometry(int Rows, int Columns, int SamplesPerPixel, int BitsAllocated, int PlanarConfiguration, int Frames)
{
    /// <summary>Bytes per frame.</summary>
    public long FrameBytes => (long)Rows * Columns * SamplesPerPixel * (BitsAllocated / 8);
}
