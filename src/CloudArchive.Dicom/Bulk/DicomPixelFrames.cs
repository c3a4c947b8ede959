namespace CloudArchive.Dicom;

/// <summary>
/// Splits Pixel Data into frames (what WADO-RS <c>/frames</c> serves), where <see cref="DicomFrameLayout"/> puts them.
/// Nothing is decoded or loaded: each frame is a range of the stored value, read on demand.
/// </summary>
public static class DicomPixelFrames
{
    /// <summary>The frames of <paramref name="dataset"/>'s Pixel Data, in order.</summary>
    /// <exception cref="DicomFormatException">There is no Pixel Data, or its frame boundaries cannot be determined.</exception>
    public static IReadOnlyList<DicomPixelFrame> GetFrames(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var frames = DicomFrameLayout.FrameCount(dataset);
        switch (dataset.Get(DicomTags.PixelData))
        {
            case DicomValueElement native:
                return Native(dataset, native, frames);
            case DicomFragmentSequence encapsulated:
                return Encapsulated(encapsulated, frames);
            default:
                throw new DicomFormatException("The instance has no Pixel Data.");
        }
    }

    private static List<DicomPixelFrame> Native(DicomDataset dataset, DicomValueElement pixels, int frames)
    {
        var size = DicomFrameLayout.NativeFrameLength(dataset, pixels.Length, frames);
        return Enumerable.Range(0, frames)
            .Select(i => new DicomPixelFrame(size, () => Slice(pixels.OpenRead(), i * size, size)))
            .ToList();
    }

    private static List<DicomPixelFrame> Encapsulated(DicomFragmentSequence pixels, int frames)
    {
        var fragments = pixels.Fragments;
        return DicomFrameLayout.EncapsulatedFrames(fragments, frames, pixels.GetOffsets)
            .Select(range => Join(fragments.Take(range).ToList()))
            .ToList();
    }

    private static DicomPixelFrame Join(List<DicomFragment> parts) =>
        new(parts.Sum(p => p.Length), () => new ConcatenatedStream(parts.Select(p => (Func<Stream>)p.OpenRead).ToList()));

    private static Stream Slice(Stream value, long offset, long length)
    {
        value.Seek(offset, SeekOrigin.Begin);
        return new BoundedReadStream(value, length);
    }
}
