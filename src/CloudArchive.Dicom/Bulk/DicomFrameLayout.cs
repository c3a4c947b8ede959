using System.Globalization;

namespace CloudArchive.Dicom;

/// <summary>
/// The one rule for where the frames of Pixel Data lie, shared by every reader of frames (the in-memory splitter
/// <see cref="DicomPixelFrames"/> and the clinical WADO-RS ranged reads). Native: frame i is the i-th run of
/// Rows × Columns × Samples per Pixel × Bits Allocated / 8 bytes. Encapsulated (PS3.5 A.4): one frame is every
/// fragment; as many fragments as frames is one each; otherwise the Basic Offset Table tells which fragment each frame
/// starts at. Only the geometry is decided here; reading the bytes is the caller's.
/// </summary>
public static class DicomFrameLayout
{
    /// <summary>Number of Frames (an IS value), or 1 when it is absent or empty.</summary>
    /// <exception cref="DicomFormatException">Number of Frames is not a positive integer.</exception>
    public static int FrameCount(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var text = dataset.GetString(DicomTags.NumberOfFrames)?.Trim().Trim('\0').Trim();
        if (string.IsNullOrEmpty(text))
        {
            return 1;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new DicomFormatException("Number of Frames is not a positive integer.");
    }

    /// <summary>The length in bytes of one frame of native Pixel Data of <paramref name="pixelDataLength"/> bytes.</summary>
    /// <exception cref="DicomFormatException">The frame size is not a whole number of bytes, or the value is shorter than its frames.</exception>
    public static long NativeFrameLength(DicomDataset dataset, long pixelDataLength, int frames)
    {
        ArgumentNullException.ThrowIfNull(dataset);
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
        return size * frames <= pixelDataLength
            ? size
            : throw new DicomFormatException("Pixel Data is shorter than its frames.");
    }

    /// <summary>Which fragments of encapsulated Pixel Data make up each frame, as index ranges into <paramref name="fragments"/>.</summary>
    /// <param name="fragments">The fragments, in order.</param>
    /// <param name="frames">The number of frames (<see cref="FrameCount"/>).</param>
    /// <param name="offsets">The Basic Offset Table, read only when neither simple case applies.</param>
    /// <exception cref="DicomFormatException">The frames cannot be told apart: no Basic Offset Table with one entry per frame, each at a fragment's start.</exception>
    public static IReadOnlyList<Range> EncapsulatedFrames(IList<DicomFragment> fragments, int frames, Func<uint[]> offsets)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        ArgumentNullException.ThrowIfNull(offsets);
        if (frames == 1)
        {
            return [Range.All];
        }

        if (fragments.Count == frames)
        {
            return [.. Enumerable.Range(0, frames).Select(i => new Range(i, i + 1))];
        }

        var table = offsets();
        if (table.Length != frames || table[0] != 0)
        {
            throw new DicomFormatException("The frames of encapsulated Pixel Data cannot be told apart (no usable Basic Offset Table).");
        }

        // Offsets count from the first fragment's item tag: each item is 8 header bytes plus its (even) length.
        var starts = new List<long>(fragments.Count);
        long position = 0;
        foreach (var f in fragments)
        {
            starts.Add(position);
            position += 8 + f.Length + (f.Length & 1);
        }

        var result = new Range[frames];
        for (var i = 0; i < frames; i++)
        {
            var from = starts.IndexOf(table[i]);
            var to = i + 1 < frames ? starts.IndexOf(table[i + 1]) : fragments.Count;
            if (from < 0 || to < 0 || to <= from)
            {
                throw new DicomFormatException("The Basic Offset Table does not point at fragment boundaries.");
            }

            result[i] = new Range(from, to);
        }

        return result;
    }
}
