using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// Where each frame of an instance's Pixel Data lies in the decrypted Part 10 file, worked out from a header parse that
/// read bulk values by reference (<see cref="DicomBulkData.SourceStreamOffset"/>), so a frame is then fetched with
/// ranged reads of only the regions that hold it. Native pixel data: frame <c>k</c> is a fixed-size slice. Encapsulated
/// pixel data: one frame is all fragments; otherwise the Basic Offset Table groups fragments into frames, or one
/// fragment per frame; anything else cannot be located and is refused.
/// </summary>
public sealed class FrameLayout
{
    private readonly Func<int, IReadOnlyList<FramePiece>> _frame;

    private FrameLayout(TransferSyntax transferSyntax, int numberOfFrames, Func<int, IReadOnlyList<FramePiece>> frame)
    {
        TransferSyntax = transferSyntax;
        NumberOfFrames = numberOfFrames;
        _frame = frame;
    }

    /// <summary>The stored transfer syntax.</summary>
    public TransferSyntax TransferSyntax { get; }

    /// <summary>True when the pixel data are encapsulated (compressed).</summary>
    public bool IsEncapsulated => TransferSyntax.IsEncapsulated;

    /// <summary>The number of frames.</summary>
    public int NumberOfFrames { get; }

    /// <summary>The pieces of frame <paramref name="number"/> (1-based), in order.</summary>
    /// <exception cref="FrameLocationException">The frame does not exist.</exception>
    public IReadOnlyList<FramePiece> Frame(int number) =>
        number >= 1 && number <= NumberOfFrames
            ? _frame(number - 1)
            : throw new FrameLocationException("frame-out-of-range", string.Create(CultureInfo.InvariantCulture, $"The instance has {NumberOfFrames} frame(s)."));

    /// <summary>Works out the frame layout of a parsed instance.</summary>
    /// <exception cref="FrameLocationException">No pixel data, or frames that cannot be located.</exception>
    public static FrameLayout Of(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var dataset = file.Dataset;
        var frames = NumberOfFramesOf(dataset);
        return dataset.Get(DicomTags.PixelData) switch
        {
            DicomFragmentSequence encapsulated => Encapsulated(file.TransferSyntax, frames, encapsulated),
            DicomValueElement native when !file.TransferSyntax.IsEncapsulated => Native(file.TransferSyntax, frames, dataset, native),
            _ => throw new FrameLocationException("no-pixel-data", "The instance has no pixel data."),
        };
    }

    private static FrameLayout Native(TransferSyntax ts, int frames, DicomDataset dataset, DicomValueElement pixels)
    {
        long rows = dataset.GetValue<ushort>(DicomTags.Rows) ?? 0;
        long columns = dataset.GetValue<ushort>(DicomTags.Columns) ?? 0;
        long samples = dataset.GetValue<ushort>(DicomTags.SamplesPerPixel) ?? 1;
        long bits = dataset.GetValue<ushort>(DicomTags.BitsAllocated) ?? 0;
        var frameBits = rows * columns * samples * bits;
        if (frameBits == 0 || frameBits % 8 != 0 || frameBits / 8 * frames > pixels.Length)
        {
            throw new FrameLocationException("frames-unlocatable", "The pixel data's size does not match its rows, columns, samples and bits allocated, or frames are not byte-aligned.");
        }

        var frameLength = frameBits / 8;
        if (!pixels.IsBulk)
        {
            var bytes = pixels.Bytes;
            return new FrameLayout(ts, frames, k => [new FramePiece(0, frameLength, bytes.Slice((int)(k * frameLength), (int)frameLength))]);
        }

        var start = pixels.BulkData!.SourceStreamOffset
            ?? throw new FrameLocationException("frames-unlocatable", "The pixel data are byte-swapped on read (big endian); frames are not served from this transfer syntax.");
        return new FrameLayout(ts, frames, k => [new FramePiece(start + (k * frameLength), frameLength)]);
    }

    private static FrameLayout Encapsulated(TransferSyntax ts, int frames, DicomFragmentSequence pixels)
    {
        var fragments = pixels.Fragments;
        if (fragments.Count == 0)
        {
            throw new FrameLocationException("no-pixel-data", "The encapsulated pixel data hold no fragments.");
        }

        if (frames == 1)
        {
            var all = fragments.Select(Piece).ToList();
            return new FrameLayout(ts, 1, _ => all);
        }

        var offsets = pixels.OffsetTable.IsBulk ? [] : pixels.GetOffsets();
        if (offsets.Length == frames)
        {
            // Basic Offset Table values are item positions relative to the first fragment's item tag.
            var positions = new long[fragments.Count];
            for (int i = 1; i < fragments.Count; i++)
            {
                positions[i] = positions[i - 1] + 8 + fragments[i - 1].Length;
            }

            return new FrameLayout(ts, frames, k =>
            {
                var end = k + 1 < frames ? offsets[k + 1] : long.MaxValue;
                return fragments.Where((_, i) => positions[i] >= offsets[k] && positions[i] < end).Select(Piece).ToList();
            });
        }

        if (fragments.Count == frames)
        {
            return new FrameLayout(ts, frames, k => [Piece(fragments[k])]);
        }

        throw new FrameLocationException("frames-unlocatable", "The encapsulated pixel data have no offset table and not one fragment per frame, so frame boundaries are unknown.");
    }

    private static FramePiece Piece(DicomFragment fragment) =>
        fragment.IsBulk
            ? new FramePiece(fragment.BulkData!.SourceStreamOffset ?? throw new FrameLocationException("frames-unlocatable", "A fragment's position in the instance is unknown."), fragment.Length)
            : new FramePiece(0, fragment.Length, fragment.Bytes);

    private static int NumberOfFramesOf(DicomDataset dataset)
    {
        var text = dataset.GetString(DicomTags.NumberOfFrames)?.Trim('\0', ' ');
        if (string.IsNullOrEmpty(text))
        {
            return 1;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new FrameLocationException("frames-unlocatable", "Number of Frames is not a positive integer.");
    }
}
