using System.Globalization;

namespace CloudArchive.Dicom;

/// <summary>
/// Splits Pixel Data into frames (what WADO-RS <c>/frames</c> serves). Native: frame i is the i-th run of
/// Rows × Columns × Samples per Pixel × Bits Allocated / 8 bytes. Encapsulated (PS3.5 A.4): one frame is every
/// fragment; as many fragments as frames is one each; otherwise the Basic Offset Table tells where each frame starts.
/// Nothing is decoded or loaded: each frame is a range of the stored value, read on demand.
/// </summary>
public static class DicomPixelFrames
{
    /// <summary>The frames of <paramref name="dataset"/>'s Pixel Data, in order.</summary>
    /// <exception cref="DicomFormatException">There is no Pixel Data, or its frame boundaries cannot be determined.</exception>
    public static IReadOnlyList<DicomPixelFrame> GetFrames(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var frames = FrameCount(dataset);
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

    private static int FrameCount(DicomDataset dataset)
    {
        var text = dataset.GetString(DicomTags.NumberOfFrames);
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new DicomFormatException("Number of Frames is not a positive integer.");
    }

    private static List<DicomPixelFrame> Native(DicomDataset dataset, DicomValueElement pixels, int frames)
    {
        long rows = dataset.GetValue<ushort>(DicomTags.Rows) ?? 0;
        long columns = dataset.GetValue<ushort>(DicomTags.Columns) ?? 0;
        long samples = dataset.GetValue<ushort>(DicomTags.SamplesPerPixel) ?? 1;
        long bits = dataset.GetValue<ushort>(DicomTags.BitsAllocated) ?? 0;
        var bitsPerFrame = rows * columns * Math.Max(1, samples) * bits;
        if (bitsPerFrame == 0 || bitsPerFrame % 8 != 0)
        {
            throw new DicomFormatException("The frame size of native Pixel Data is not a whole number of bytes.");
        }

        var size = bitsPerFrame / 8;
        if (size * frames > pixels.Length)
        {
            throw new DicomFormatException("Pixel Data is shorter than its frames.");
        }

        return Enumerable.Range(0, frames)
            .Select(i => new DicomPixelFrame(size, () => Slice(pixels.OpenRead(), i * size, size)))
            .ToList();
    }

    private static List<DicomPixelFrame> Encapsulated(DicomFragmentSequence pixels, int frames)
    {
        var fragments = pixels.Fragments;
        if (frames == 1)
        {
            return [Join([.. fragments])];
        }

        if (fragments.Count == frames)
        {
            return fragments.Select(f => Join([f])).ToList();
        }

        var offsets = pixels.GetOffsets();
        if (offsets.Length != frames || offsets[0] != 0)
        {
            throw new DicomFormatException("The frames of encapsulated Pixel Data cannot be told apart (no usable Basic Offset Table).");
        }

        // Offsets count from the first fragment's item tag: each item is 8 header bytes plus its (even) length.
        var starts = new List<long>();
        long position = 0;
        foreach (var f in fragments)
        {
            starts.Add(position);
            position += 8 + f.Length + (f.Length & 1);
        }

        var result = new List<DicomPixelFrame>();
        for (var i = 0; i < frames; i++)
        {
            var from = starts.IndexOf(offsets[i]);
            var to = i + 1 < frames ? starts.IndexOf(offsets[i + 1]) : fragments.Count;
            if (from < 0 || to < 0 || to <= from)
            {
                throw new DicomFormatException("The Basic Offset Table does not point at fragment boundaries.");
            }

            result.Add(Join(fragments.Skip(from).Take(to - from).ToList()));
        }

        return result;
    }

    private static DicomPixelFrame Join(List<DicomFragment> parts) =>
        new(parts.Sum(p => p.Length), () => new ConcatenatedStream(parts.Select(p => (Func<Stream>)p.OpenRead).ToList()));

    private static Stream Slice(Stream value, long offset, long length)
    {
        value.Seek(offset, SeekOrigin.Begin);
        return new BoundedReadStream(value, length);
    }
}
