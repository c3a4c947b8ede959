using System.Buffers.Binary;

namespace CloudArchive.Dicom.Tests.Support;

/// <summary>Byte-level helpers for Part 10 files in tests.</summary>
public static class Part10
{
    /// <summary>The offset just after the file meta group (preamble + DICM + group 0002 elements), 0 when there is no meta.</summary>
    public static int DatasetOffset(byte[] file)
    {
        var pos = 0;
        if (file.Length >= 132 && file[128] == 'D' && file[129] == 'I' && file[130] == 'C' && file[131] == 'M')
        {
            pos = 132;
        }

        while (pos + 8 <= file.Length && BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos)) == 0x0002)
        {
            var vr = System.Text.Encoding.ASCII.GetString(file, pos + 4, 2);
            if (vr is "OB" or "OW" or "UN" or "SQ" or "UT" or "UC" or "UR" or "OD" or "OF" or "OL" or "OV" or "SV" or "UV")
            {
                pos += 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 8));
            }
            else
            {
                pos += 8 + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 6));
            }
        }

        return pos;
    }

    public static async Task<byte[]> WriteAsync(DicomFile file, DicomWriterOptions? options = null)
    {
        using var ms = new MemoryStream();
        await file.WriteAsync(ms, options, TestCancellation.Token);
        return ms.ToArray();
    }

    public static async Task<DicomFile> ReadAsync(byte[] bytes, DicomReaderOptions? options = null) =>
        await DicomFile.ReadAsync(new MemoryStream(bytes, false), options, TestCancellation.Token);
}
