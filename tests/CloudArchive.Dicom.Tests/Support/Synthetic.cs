using System.Buffers.Binary;
using System.IO.Compression;

namespace CloudArchive.Dicom.Tests.Support;

/// <summary>Builds hand-made (often malformed) DICOM byte streams for error-path tests.</summary>
public sealed class Synthetic
{
    private readonly MemoryStream _body = new();
    private readonly bool _bigEndian;

    public Synthetic(bool bigEndian = false) => this._bigEndian = bigEndian;

    public long Length => _body.Length;

    /// <summary>Preamble, DICM and a file meta group naming <paramref name="ts"/>, as our writer produces them.</summary>
    public static byte[] Header(TransferSyntax ts)
    {
        var file = new DicomFile(new DicomDataset(), ts);
        file.FileMetaInformation.Set(DicomValueElement.FromStrings(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, new[] { "1.2.840.10008.5.1.4.1.1.7" }));
        file.FileMetaInformation.Set(DicomValueElement.FromStrings(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, new[] { "2.25.1" }));
        using var ms = new MemoryStream();
        DicomWriter.WriteAsync(ms, file).GetAwaiter().GetResult();
        var all = ms.ToArray();
        return all.AsSpan(0, Part10.DatasetOffset(all)).ToArray();
    }

    public Synthetic Tag(ushort group, ushort element)
    {
        U16(group);
        U16(element);
        return this;
    }

    public Synthetic U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        }

        _body.Write(b);
        return this;
    }

    public Synthetic U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        }

        _body.Write(b);
        return this;
    }

    public Synthetic Ascii(string s)
    {
        _body.Write(System.Text.Encoding.ASCII.GetBytes(s));
        return this;
    }

    public Synthetic Bytes(params byte[] b)
    {
        _body.Write(b);
        return this;
    }

    /// <summary>An explicit VR element with a short (16-bit) length header.</summary>
    public Synthetic ShortElement(ushort group, ushort element, string vr, string value)
    {
        Tag(group, element).Ascii(vr).U16((ushort)value.Length).Ascii(value);
        return this;
    }

    /// <summary>An explicit VR header with the 32-bit layout (OB, SQ, UN, UT, ...).</summary>
    public Synthetic LongHeader(ushort group, ushort element, string vr, uint length)
    {
        Tag(group, element).Ascii(vr).U16(0).U32(length);
        return this;
    }

    public Synthetic Item(uint length) => Tag(0xFFFE, 0xE000).U32(length);

    public Synthetic ItemEnd() => Tag(0xFFFE, 0xE00D).U32(0);

    public Synthetic SequenceEnd() => Tag(0xFFFE, 0xE0DD).U32(0);

    public byte[] Body() => _body.ToArray();

    public byte[] ToFile(TransferSyntax ts)
    {
        var header = Header(ts);
        var payload = Body();
        if (ts.IsDeflated)
        {
            using var compressed = new MemoryStream();
            using (var d = new DeflateStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                d.Write(payload);
            }

            payload = compressed.ToArray();
        }

        return header.Concat(payload).ToArray();
    }
}
