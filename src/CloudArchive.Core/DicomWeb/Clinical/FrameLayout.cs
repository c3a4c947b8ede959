using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// Where each frame of an instance's Pixel Data lies in the decrypted Part 10 file, worked out from a header parse that
/// read bulk values by reference (<see cref="DicomBulkData.SourceStreamOffset"/>), so a frame is then fetched with
/// ranged reads of only the regions that hold it. Where the frames are is <see cref="DicomFrameLayout"/>'s rule (native:
/// fixed-size slices; encapsulated: all fragments, one fragment per frame, or as the Basic Offset Table groups them);
/// what it cannot locate is refused.
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
        var frames = Locate(() => DicomFrameLayout.FrameCount(dataset), "Number of Frames is not a positive integer.");
        return dataset.Get(DicomTags.PixelData) switch
        {
            DicomFragmentSequence encapsulated => Encapsulated(file.TransferSyntax, frames, encapsulated),
            DicomValueElement native when !file.TransferSyntax.IsEncapsulated => Native(file.TransferSyntax, frames, dataset, native),
            _ => throw new FrameLocationException("no-pixel-data", "The instance has no pixel data."),
        };
    }

    private static FrameLayout Native(TransferSyntax ts, int frames, DicomDataset dataset, DicomValueElement pixels)
    {
        var frameLength = Locate(
            () => DicomFrameLayout.NativeFrameLength(dataset, pixels.Length, frames),
            "The pixel data's size does not match its rows, columns, samples and bits allocated, or frames are not byte-aligned.");
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

        // A Basic Offset Table the header parse left in place is not fetched: without it, only the simple cases locate.
        var ranges = Locate(
            () => DicomFrameLayout.EncapsulatedFrames(fragments, frames, () => pixels.OffsetTable.IsBulk ? [] : pixels.GetOffsets()),
            "The encapsulated pixel data have no offset table and not one fragment per frame, so frame boundaries are unknown.");
        return new FrameLayout(ts, frames, k => fragments.Take(ranges[k]).Select(Piece).ToList());
    }

    // The rule's refusals, in the words (and code) the clinical API has always answered with.
    private static T Locate<T>(Func<T> rule, string message)
    {
        try
        {
            return rule();
        }
        catch (DicomFormatException)
        {
            throw new FrameLocationException("frames-unlocatable", message);
        }
    }

    private static FramePiece Piece(DicomFragment fragment) =>
        fragment.IsBulk
            ? new FramePiece(fragment.BulkData!.SourceStreamOffset ?? throw new FrameLocationException("frames-unlocatable", "A fragment's position in the instance is unknown."), fragment.Length)
            : new FramePiece(0, fragment.Length, fragment.Bytes);
}
