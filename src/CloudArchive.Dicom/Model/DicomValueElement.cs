using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CloudArchive.Dicom;

/// <summary>
/// A primitive (non-sequence) data element. The value is held either inline (<see cref="Bytes"/>) or, above the
/// reader's bulk threshold, as a <see cref="DicomBulkData"/> that opens a stream on demand.
/// <para><b>Byte order:</b> value bytes are always <b>little endian</b>, whatever the transfer syntax they were read
/// from; the reader swaps big endian values by <see cref="DicomVR.UnitSize"/> and the writer swaps them back when it
/// writes big endian. Bytes are otherwise exactly as stored, including the trailing padding byte.</para>
/// Instances are immutable: replace the element in its dataset to change a value.
/// </summary>
public sealed class DicomValueElement : DicomElement
{
    private readonly ReadOnlyMemory<byte> _bytes;

    /// <summary>Creates an element with an inline value (little endian bytes as they are to be stored).</summary>
    public DicomValueElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
        : base(tag, vr)
    {
        if (vr.IsSequence)
        {
            throw new ArgumentException("Use DicomSequence for SQ elements.", nameof(vr));
        }

        _bytes = value;
    }

    /// <summary>Creates an element whose value is bulk data read on demand.</summary>
    public DicomValueElement(DicomTag tag, DicomVR vr, DicomBulkData bulkData)
        : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(bulkData);
        if (vr.IsSequence)
        {
            throw new ArgumentException("Use DicomSequence for SQ elements.", nameof(vr));
        }

        BulkData = bulkData;
    }

    /// <summary>
    /// The VR used to interpret the value: <see cref="DicomElement.VR"/>, except that a UN element of a tag the
    /// dictionary knows with a single non-SQ VR is interpreted with that VR (values written as UN by a system that
    /// did not know the tag, e.g. PatientName stored as UN). The stored VR is unchanged and is what the writer writes.
    /// </summary>
    public DicomVR ValueVR
    {
        get
        {
            if (VR != DicomVR.UN)
            {
                return VR;
            }

            var entry = DicomDictionary.Lookup(Tag);
            return entry is { VRs.Count: 1 } && !entry.VRs[0].IsSequence ? entry.VRs[0] : VR;
        }
    }

    /// <summary>The value length in bytes (as stored; may be odd for malformed input).</summary>
    public long Length => BulkData?.Length ?? _bytes.Length;

    /// <summary>True when the value is bulk data (not held in memory).</summary>
    public bool IsBulk => BulkData is not null;

    /// <summary>The bulk data source, or null for an inline value.</summary>
    public DicomBulkData? BulkData { get; }

    /// <summary>The inline value bytes (little endian).</summary>
    /// <exception cref="InvalidOperationException">The value is bulk data; use <see cref="OpenRead"/> or <see cref="GetBytes"/>.</exception>
    public ReadOnlyMemory<byte> Bytes => BulkData is null ? _bytes : throw new InvalidOperationException("The value is bulk data; use OpenRead() or GetBytes().");

    /// <summary>Opens the value as a stream of little endian bytes (inline or bulk).</summary>
    public Stream OpenRead()
    {
        if (BulkData is not null)
        {
            return BulkData.OpenRead();
        }

        return MemoryMarshal.TryGetArray(_bytes, out var seg)
            ? new MemoryStream(seg.Array!, seg.Offset, seg.Count, false)
            : new MemoryStream(_bytes.ToArray(), false);
    }

    /// <summary>The value bytes; loads bulk data into memory (for small bulk values only: up to 2 GiB).</summary>
    /// <exception cref="DicomValueException">The bulk value is larger than an array can hold.</exception>
    public ReadOnlyMemory<byte> GetBytes()
    {
        if (BulkData is null)
        {
            return _bytes;
        }

        if (BulkData.Length > Array.MaxLength)
        {
            throw new DicomValueException("the bulk value is too large to load into memory; stream it with OpenRead()", Tag);
        }

        var buffer = new byte[BulkData.Length];
        using var s = BulkData.OpenRead();
        s.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>
    /// The value as one string decoded with <paramref name="characterSet"/> (used for LO, LT, PN, SH, ST, UC, UT;
    /// other VRs are ASCII), trailing padding (spaces and NULs) removed. Binary VRs are rendered like dcmdump
    /// (values separated by a backslash).
    /// </summary>
    public string GetString(DicomCharacterSet? characterSet = null)
    {
        var vr = ValueVR;
        if (vr.IsBinary)
        {
            return string.Join('\\', GetValueStrings());
        }

        var data = GetBytes().Span;
        var cs = vr.IsCharacterSetDependent ? (characterSet ?? DicomCharacterSet.Default) : DicomCharacterSet.Default;
        var text = cs.Decode(data, vr == DicomVR.PN);
        return text.TrimEnd(' ', '\0');
    }

    /// <summary>
    /// The values of a string VR split at backslashes (for VRs that allow several values), each with insignificant
    /// padding removed; an empty value gives an empty array.
    /// </summary>
    public string[] GetStrings(DicomCharacterSet? characterSet = null)
    {
        var vr = ValueVR;
        if (vr.IsBinary)
        {
            return GetValueStrings();
        }

        var s = GetString(characterSet);
        if (s.Length == 0)
        {
            return Array.Empty<string>();
        }

        var parts = vr.IsMultiValuedString ? s.Split('\\') : new[] { s };
        var leadingInsignificant = vr != DicomVR.LT && vr != DicomVR.ST && vr != DicomVR.UT;
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = leadingInsignificant ? parts[i].Trim(' ', '\0') : parts[i].TrimEnd(' ', '\0');
        }

        return parts;
    }

    /// <summary>
    /// The binary values as an array of <typeparamref name="T"/> (e.g. <c>ushort</c> for US/OW, <c>float</c> for
    /// FL/OF, <c>double</c> for FD/OD). Trailing bytes that do not fill a whole value are ignored.
    /// </summary>
    public T[] GetValues<T>()
        where T : unmanaged
    {
        var data = GetBytes().Span;
        var size = Marshal.SizeOf<T>();
        var n = data.Length / size;
        return MemoryMarshal.Cast<byte, T>(data[..(n * size)]).ToArray();
    }

    /// <summary>The values of an AT element.</summary>
    public DicomTag[] GetTags()
    {
        var data = GetBytes().Span;
        var result = new DicomTag[data.Length / 4];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(data[((i * 4) + 2)..]));
        }

        return result;
    }

    /// <summary>The values of a DS element (or any numeric string) as doubles.</summary>
    /// <exception cref="DicomValueException">A value is not a decimal number.</exception>
    public double[] GetDecimalStrings()
    {
        var strings = GetStrings();
        var result = new double[strings.Length];
        for (var i = 0; i < strings.Length; i++)
        {
            // TryParse, not Parse: FormatException's message quotes the value, which may be patient data.
            if (!double.TryParse(strings[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
            {
                throw new DicomValueException($"value {i + 1} is not a decimal string", Tag);
            }
        }

        return result;
    }

    /// <summary>The values of an IS element as 64-bit integers.</summary>
    /// <exception cref="DicomValueException">A value is not an integer string or does not fit 64 bits.</exception>
    public long[] GetIntegerStrings()
    {
        var strings = GetStrings();
        var result = new long[strings.Length];
        for (var i = 0; i < strings.Length; i++)
        {
            if (!long.TryParse(strings[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result[i]))
            {
                throw new DicomValueException($"value {i + 1} is not an integer string in the 64-bit range", Tag);
            }
        }

        return result;
    }

    /// <summary>Creates an element holding strings encoded with <paramref name="characterSet"/> and padded to even length.</summary>
    /// <exception cref="DicomValueException">The VR holds no strings or the character set cannot encode the text.</exception>
    public static DicomValueElement FromStrings(DicomTag tag, DicomVR vr, IEnumerable<string> values, DicomCharacterSet? characterSet = null)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(values);
        if (!vr.IsString)
        {
            throw new DicomValueException($"strings cannot be stored with VR {vr}", tag);
        }

        var joined = string.Join('\\', values);
        var cs = vr.IsCharacterSetDependent ? (characterSet ?? DicomCharacterSet.Default) : DicomCharacterSet.Default;
        byte[] encoded;
        try
        {
            encoded = cs.Encode(joined);
        }
        catch (DicomValueException ex) when (ex.Tag is null)
        {
            throw new DicomValueException(ex.Reason, tag);
        }

        if ((encoded.Length & 1) == 1)
        {
            Array.Resize(ref encoded, encoded.Length + 1);
            encoded[^1] = vr.PaddingByte;
        }

        return new DicomValueElement(tag, vr, encoded);
    }

    /// <summary>Creates a binary element from values (stored little endian).</summary>
    public static DicomValueElement FromValues<T>(DicomTag tag, DicomVR vr, params T[] values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if ((data.Length & 1) == 1)
        {
            Array.Resize(ref data, data.Length + 1);
        }

        return new DicomValueElement(tag, vr, data);
    }

    /// <summary>Creates an AT element.</summary>
    public static DicomValueElement FromTags(DicomTag tag, params DicomTag[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 4), values[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan((i * 4) + 2), values[i].Element);
        }

        return new DicomValueElement(tag, DicomVR.AT, data);
    }

    private string[] GetValueStrings()
    {
        if (IsBulk && Length > 4096)
        {
            return new[] { $"(bulk data, {Length} bytes)" };
        }

        var inv = CultureInfo.InvariantCulture;
        var vr = ValueVR;
        if (vr == DicomVR.US || vr == DicomVR.OW)
        {
            return GetValues<ushort>().Select(v => v.ToString(inv)).ToArray();
        }

        if (vr == DicomVR.SS)
        {
            return GetValues<short>().Select(v => v.ToString(inv)).ToArray();
        }

        if (vr == DicomVR.UL || vr == DicomVR.OL)
        {
            return GetValues<uint>().Select(v => v.ToString(inv)).ToArray();
        }

        if (vr == DicomVR.SL)
        {
            return GetValues<int>().Select(v => v.ToString(inv)).ToArray();
        }

        if (vr == DicomVR.FL || vr == DicomVR.OF)
        {
            return GetValues<float>().Select(v => v.ToString("R", inv)).ToArray();
        }

        if (vr == DicomVR.FD || vr == DicomVR.OD)
        {
            return GetValues<double>().Select(v => v.ToString("R", inv)).ToArray();
        }

        if (vr == DicomVR.SV)
        {
            return GetValues<long>().Select(v => v.ToString(inv)).ToArray();
        }

        if (vr == DicomVR.UV || vr == DicomVR.OV)
        {
            return GetValues<ulong>().Select(v => v.ToString(inv)).ToArray();
        }

        if (vr == DicomVR.AT)
        {
            return GetTags().Select(t => t.ToString()).ToArray();
        }

        return GetBytes().ToArray().Select(b => b.ToString("x2", inv)).ToArray();
    }
}
