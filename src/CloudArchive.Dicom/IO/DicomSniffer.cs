using System.Buffers.Binary;

namespace CloudArchive.Dicom;

/// <summary>
/// A cheap look at the first bytes of a file: is it plausibly DICOM at all? For tools that must not send an empty file
/// or a text file to an archive by mistake; whether a plausible file is <em>valid</em> is the archive's decision.
/// </summary>
public static class DicomSniffer
{
    /// <summary>The bytes <see cref="Classify"/> needs: the 128-byte preamble and the <c>DICM</c> prefix.</summary>
    public const int HeadLength = 132;

    /// <summary>What the first bytes of a file look like.</summary>
    /// <param name="head">The first <see cref="HeadLength"/> bytes of the file, or all of it when shorter.</param>
    public static DicomSniffResult Classify(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return DicomSniffResult.Empty;
        }

        if (head.Length >= HeadLength && head.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return DicomSniffResult.Part10;
        }

        // A bare data set (no preamble) starts with its lowest tag: File Meta (0002) or, without meta, usually 0008.
        // Either byte order; an archive refuses these with a reason, but they are DICOM, not a stray file.
        if (head.Length >= 8)
        {
            var little = BinaryPrimitives.ReadUInt16LittleEndian(head);
            var big = BinaryPrimitives.ReadUInt16BigEndian(head);
            if (little is 0x0002 or 0x0008 || big is 0x0002 or 0x0008)
            {
                return DicomSniffResult.BareDataset;
            }
        }

        return DicomSniffResult.NotDicom;
    }
}
