using System.Buffers.Binary;

namespace CloudArchive.Dicom;

/// <summary>
/// Encapsulated Pixel Data (PS3.5 A.4): undefined length, a Basic Offset Table item (possibly empty) followed by
/// fragments, read item by item from their lengths (delimiter-like bytes inside a fragment are data). Only valid in
/// an encapsulated transfer syntax; the writer passes fragments through unchanged.
/// </summary>
public sealed class DicomFragmentSequence : DicomElement
{
    /// <summary>Creates an encapsulated pixel data element (VR OB, or OW as some old files say).</summary>
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, DicomFragment offsetTable, IEnumerable<DicomFragment> fragments)
        : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(offsetTable);
        ArgumentNullException.ThrowIfNull(fragments);
        OffsetTable = offsetTable;
        Fragments = new List<DicomFragment>(fragments);
    }

    /// <summary>The Basic Offset Table item (length 0 when empty).</summary>
    public DicomFragment OffsetTable { get; }

    /// <summary>The fragments after the offset table, in order.</summary>
    public IList<DicomFragment> Fragments { get; }

    /// <summary>The Basic Offset Table values (byte offsets of each frame's first fragment), empty if none.</summary>
    public uint[] GetOffsets()
    {
        if (OffsetTable.Length == 0 || OffsetTable.IsBulk)
        {
            return OffsetTable.IsBulk ? ReadBulkOffsets() : Array.Empty<uint>();
        }

        var span = OffsetTable.Bytes.Span;
        var result = new uint[span.Length / 4];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = BinaryPrimitives.ReadUInt32LittleEndian(span[(i * 4)..]);
        }

        return result;
    }

    private uint[] ReadBulkOffsets()
    {
        using var s = OffsetTable.OpenRead();
        var result = new List<uint>();
        Span<byte> four = stackalloc byte[4];
        while (s.ReadAtLeast(four, 4, false) == 4)
        {
            result.Add(BinaryPrimitives.ReadUInt32LittleEndian(four));
        }

        return result.ToArray();
    }
}
