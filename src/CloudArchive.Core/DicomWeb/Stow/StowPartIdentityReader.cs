using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>
/// Reads a part's <see cref="StowPartIdentity"/> from the first bytes of a Part 10 file without parsing the whole data
/// set: the File Meta Information, then the top-level elements of the data set up to Series Instance UID (0020,000E),
/// skipping values and nested sequences by their lengths. Works on a bounded head (the part is still streaming), so
/// anything that runs past the head, or is malformed, just leaves UIDs unknown: the ingest pipeline is what judges the
/// part; this only names it in the response.
/// </summary>
public static class StowPartIdentityReader
{
    private const string ImplicitLittleEndian = "1.2.840.10008.1.2";
    private const string ExplicitBigEndian = "1.2.840.10008.1.2.2";
    private const string DeflatedExplicitLittleEndian = "1.2.840.10008.1.2.1.99";
    private const int MaxDepth = 16;
    private const int MaxInflatedHead = 1 << 20;

    private const uint UndefinedLength = 0xFFFFFFFF;

    /// <summary>Reads what the head holds.</summary>
    /// <param name="head">The first bytes of the part (a prefix of a Part 10 file).</param>
    public static StowPartIdentity Read(ReadOnlySpan<byte> head)
    {
        if (head.Length < 132 || !head.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return StowPartIdentity.Unknown;
        }

        var found = new Dictionary<uint, string>();
        var offset = 132;
        string? transferSyntax = null;
        string? metaClass = null;
        string? metaInstance = null;

        // File Meta Information: explicit VR little endian, group 0002 only.
        while (offset + 8 <= head.Length && BinaryPrimitives.ReadUInt16LittleEndian(head[offset..]) == 0x0002)
        {
            var element = BinaryPrimitives.ReadUInt16LittleEndian(head[(offset + 2)..]);
            if (!TryHeader(head, offset, explicitVr: true, bigEndian: false, out var valueOffset, out var length, out _) || length == UndefinedLength || valueOffset + length > head.Length)
            {
                return StowPartIdentity.Unknown;
            }

            var value = head.Slice(valueOffset, (int)length);
            if (element == DicomTags.MediaStorageSOPClassUID.Element)
            {
                metaClass = Uid(value);
            }
            else if (element == DicomTags.MediaStorageSOPInstanceUID.Element)
            {
                metaInstance = Uid(value);
            }
            else if (element == DicomTags.TransferSyntaxUID.Element)
            {
                transferSyntax = Uid(value);
            }

            offset = valueOffset + (int)length;
        }

        if (transferSyntax is null)
        {
            return new StowPartIdentity(metaClass, metaInstance, null, null);
        }

        var explicitVr = transferSyntax != ImplicitLittleEndian;
        var bigEndian = transferSyntax == ExplicitBigEndian;
        var dataset = head[offset..];
        byte[]? inflated = null;
        if (transferSyntax == DeflatedExplicitLittleEndian)
        {
            inflated = Inflate(dataset);
            dataset = inflated;
        }

        var scanner = new Scanner(explicitVr, bigEndian, found);
        scanner.ScanTopLevel(dataset);
        return new StowPartIdentity(
            found.GetValueOrDefault(DicomTags.SOPClassUID.Value) ?? metaClass,
            found.GetValueOrDefault(DicomTags.SOPInstanceUID.Value) ?? metaInstance,
            found.GetValueOrDefault(DicomTags.StudyInstanceUID.Value),
            found.GetValueOrDefault(DicomTags.SeriesInstanceUID.Value));
    }

    private static byte[] Inflate(ReadOnlySpan<byte> deflated)
    {
        using var source = new MemoryStream(deflated.ToArray(), writable: false);
        using var inflate = new DeflateStream(source, CompressionMode.Decompress);
        var buffer = new byte[MaxInflatedHead];
        var total = 0;
        try
        {
            int read;
            while (total < buffer.Length && (read = inflate.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            // The head ends mid-stream: what was inflated so far is still a usable prefix.
        }

        return buffer[..total];
    }

    private static bool TryHeader(ReadOnlySpan<byte> data, int offset, bool explicitVr, bool bigEndian, out int valueOffset, out uint length, out bool sequence)
    {
        valueOffset = 0;
        length = 0;
        sequence = false;
        if (offset + 8 > data.Length)
        {
            return false;
        }

        var group = ReadUInt16(data[offset..], bigEndian);
        if (!explicitVr || group == 0xFFFE)
        {
            length = ReadUInt32(data[(offset + 4)..], bigEndian);
            valueOffset = offset + 8;
            sequence = length == UndefinedLength;
            return true;
        }

        var vr = data.Slice(offset + 4, 2);
        if (IsLongVr(vr))
        {
            if (offset + 12 > data.Length)
            {
                return false;
            }

            length = ReadUInt32(data[(offset + 8)..], bigEndian);
            valueOffset = offset + 12;
            sequence = vr.SequenceEqual("SQ"u8) || length == UndefinedLength;
            return true;
        }

        length = ReadUInt16(data[(offset + 6)..], bigEndian);
        valueOffset = offset + 8;
        return true;
    }

    private static bool IsLongVr(ReadOnlySpan<byte> vr) =>
        vr.SequenceEqual("OB"u8) || vr.SequenceEqual("OW"u8) || vr.SequenceEqual("OF"u8) || vr.SequenceEqual("SQ"u8) || vr.SequenceEqual("UT"u8)
        || vr.SequenceEqual("UN"u8) || vr.SequenceEqual("UC"u8) || vr.SequenceEqual("UR"u8) || vr.SequenceEqual("OD"u8) || vr.SequenceEqual("OL"u8)
        || vr.SequenceEqual("OV"u8) || vr.SequenceEqual("SV"u8) || vr.SequenceEqual("UV"u8);

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(data) : BinaryPrimitives.ReadUInt16LittleEndian(data);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data) : BinaryPrimitives.ReadUInt32LittleEndian(data);

    private static string? Uid(ReadOnlySpan<byte> value) =>
        DicomUid.TryNormalize(Encoding.ASCII.GetString(value), out var uid, out _) ? uid : null;

    /// <summary>Walks elements; returns -1 as soon as the data runs out (the head ended) or is malformed.</summary>
    private sealed class Scanner(bool explicitVr, bool bigEndian, Dictionary<uint, string> found)
    {
        public void ScanTopLevel(ReadOnlySpan<byte> data)
        {
            var offset = 0;
            while (offset + 8 <= data.Length)
            {
                var tag = Tag(data, offset);
                if (tag > DicomTags.SeriesInstanceUID.Value || tag >> 16 == 0xFFFE)
                {
                    return;
                }

                if (!TryHeader(data, offset, explicitVr, bigEndian, out var valueOffset, out var length, out var sequence))
                {
                    return;
                }

                if (sequence && length == UndefinedLength)
                {
                    offset = SkipUndefinedSequence(data, valueOffset, 1);
                    if (offset < 0)
                    {
                        return;
                    }

                    continue;
                }

                if (length == UndefinedLength || valueOffset + (long)length > data.Length)
                {
                    return;
                }

                if (IsIdentityTag(tag) && Uid(data.Slice(valueOffset, (int)length)) is { } uid)
                {
                    found[tag] = uid;
                }

                offset = valueOffset + (int)length;
            }
        }

        private static bool IsIdentityTag(uint tag) =>
            tag == DicomTags.SOPClassUID.Value || tag == DicomTags.SOPInstanceUID.Value
            || tag == DicomTags.StudyInstanceUID.Value || tag == DicomTags.SeriesInstanceUID.Value;

        private uint Tag(ReadOnlySpan<byte> data, int offset) =>
            ((uint)ReadUInt16(data[offset..], bigEndian) << 16) | ReadUInt16(data[(offset + 2)..], bigEndian);

        /// <summary>Skips the items of an undefined-length sequence; returns the offset after its delimiter, or -1.</summary>
        private int SkipUndefinedSequence(ReadOnlySpan<byte> data, int offset, int depth)
        {
            if (depth > MaxDepth)
            {
                return -1;
            }

            while (offset + 8 <= data.Length)
            {
                var tag = Tag(data, offset);
                var length = ReadUInt32(data[(offset + 4)..], bigEndian);
                offset += 8;
                if (tag == DicomTags.SequenceDelimitationItem.Value)
                {
                    return offset;
                }

                if (tag != DicomTags.Item.Value)
                {
                    return -1;
                }

                if (length != UndefinedLength)
                {
                    if (offset + (long)length > data.Length)
                    {
                        return -1;
                    }

                    offset += (int)length;
                    continue;
                }

                offset = SkipUndefinedItem(data, offset, depth);
                if (offset < 0)
                {
                    return -1;
                }
            }

            return -1;
        }

        private int SkipUndefinedItem(ReadOnlySpan<byte> data, int offset, int depth)
        {
            while (offset + 8 <= data.Length)
            {
                var tag = Tag(data, offset);
                if (tag == DicomTags.ItemDelimitationItem.Value)
                {
                    return offset + 8;
                }

                if (!TryHeader(data, offset, explicitVr, bigEndian, out var valueOffset, out var length, out _))
                {
                    return -1;
                }

                if (length == UndefinedLength)
                {
                    // An undefined-length SQ, UN or encapsulated value: items up to a sequence delimiter.
                    offset = SkipUndefinedSequence(data, valueOffset, depth + 1);
                    if (offset < 0)
                    {
                        return -1;
                    }

                    continue;
                }

                if (valueOffset + (long)length > data.Length)
                {
                    return -1;
                }

                offset = valueOffset + (int)length;
            }

            return -1;
        }
    }
}
