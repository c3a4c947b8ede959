using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace CloudArchive.Dicom;

/// <summary>
/// Writes datasets in the DICOM JSON Model (PS3.18 Annex F) to a <see cref="Utf8JsonWriter"/>: one object per
/// dataset, keys <c>GGGGEEEE</c> in ascending order, each with <c>vr</c> and, when the value is not empty,
/// <c>Value</c>, <c>InlineBinary</c> or <c>BulkDataURI</c>. PN values are objects with <c>Alphabetic</c>,
/// <c>Ideographic</c> and <c>Phonetic</c> groups; IS, DS and the binary numeric VRs are JSON numbers; AT values are
/// <c>GGGGEEEE</c> strings; sequences nest. Group length elements (gggg,0000) are not written (PS3.18 F.2: they are
/// not part of the model). Text is decoded with the dataset's Specific Character Set. Values are written as stored:
/// a malformed numeric string (IS "1A") is written as a JSON string rather than dropped or altered. Binary values
/// (InlineBinary, and what a BulkDataURI serves) are little endian, whatever the transfer syntax of the source.
/// </summary>
public static class DicomJsonWriter
{
    /// <summary>Writes <paramref name="dataset"/> as one JSON object.</summary>
    /// <exception cref="InvalidOperationException">A binary value longer than <see cref="DicomJsonWriterOptions.MaxInlineBinaryLength"/> has no BulkDataURI.</exception>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= DicomJsonWriterOptions.Default;
        writer.WriteStartObject();
        foreach (var element in dataset)
        {
            if (options.Include is null || options.Include(element))
            {
                WriteElement(writer, element, dataset, DicomElementPath.TopLevel(element.Tag), options);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes <paramref name="dataset"/> as one JSON object, flushing the writer to its stream whenever
    /// <see cref="DicomJsonWriterOptions.FlushThreshold"/> bytes are pending, so a large dataset streams.
    /// </summary>
    public static async Task WriteAsync(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonWriterOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= DicomJsonWriterOptions.Default;
        writer.WriteStartObject();
        foreach (var element in dataset)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.Include is null || options.Include(element))
            {
                WriteElement(writer, element, dataset, DicomElementPath.TopLevel(element.Tag), options);
            }

            if (writer.BytesPending >= options.FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The JSON key of a tag (<c>GGGGEEEE</c>, upper-case hex).</summary>
    public static string Key(DicomTag tag) => tag.Value.ToString("X8", CultureInfo.InvariantCulture);

    private static void WriteElement(Utf8JsonWriter writer, DicomElement element, DicomDataset owner, DicomElementPath path, DicomJsonWriterOptions options)
    {
        if (element.Tag.IsGroupLength || (options.ExcludeFileMetaGroup && element.Tag.Group == 0x0002))
        {
            return;
        }

        if (options.Omit is { } omit && BulkValue(element, path, options) is { } bulk && omit(bulk))
        {
            return;
        }

        writer.WritePropertyName(Key(element.Tag));
        writer.WriteStartObject();
        writer.WriteString("vr"u8, VR(element, options).Code);
        switch (element)
        {
            case DicomSequence sequence:
                WriteSequence(writer, sequence, path, options);
                break;
            case DicomFragmentSequence fragments:
                WriteBinary(writer, new DicomJsonBulkValue(path, fragments, FragmentBytes(fragments)), options);
                break;
            case DicomValueElement value:
                WriteValue(writer, value, owner, path, options);
                break;
        }

        writer.WriteEndObject();
    }

    // A UN element of a tag the dictionary knows is written with its real VR (PS3.18 F.2.3: the VR of the attribute), as
    // pydicom and dcmtk do, unless the caller keeps the stored one; the stored bytes are little endian either way.
    private static DicomVR VR(DicomElement element, DicomJsonWriterOptions options) =>
        element is DicomValueElement v && !options.KeepUnknownVR ? v.ValueVR : element.VR;

    private static bool IsBinary(DicomVR vr) =>
        vr == DicomVR.OB || vr == DicomVR.OD || vr == DicomVR.OF || vr == DicomVR.OL || vr == DicomVR.OV || vr == DicomVR.OW || vr == DicomVR.UN;

    private static DicomJsonBulkValue? BulkValue(DicomElement element, DicomElementPath path, DicomJsonWriterOptions options) => element switch
    {
        DicomFragmentSequence fragments => new DicomJsonBulkValue(path, fragments, FragmentBytes(fragments)),
        DicomValueElement value when IsBinary(VR(value, options)) => new DicomJsonBulkValue(path, value, value.Length),
        _ => null,
    };

    private static void WriteSequence(Utf8JsonWriter writer, DicomSequence sequence, DicomElementPath path, DicomJsonWriterOptions options)
    {
        if (sequence.Items.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("Value"u8);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            writer.WriteStartObject();
            foreach (var child in item)
            {
                WriteElement(writer, child, item, path.Child(i, child.Tag), options);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, DicomValueElement element, DicomDataset owner, DicomElementPath path, DicomJsonWriterOptions options)
    {
        if (element.Length == 0)
        {
            return;
        }

        var vr = VR(element, options);
        if (IsBinary(vr))
        {
            WriteBinary(writer, new DicomJsonBulkValue(path, element, element.Length), options);
            return;
        }

        if (options.PaddingIsNoValue && vr.IsString && IsOnlyPadding(element.GetStrings(owner.CharacterSet), vr))
        {
            return;
        }

        writer.WriteStartArray("Value"u8);
        if (vr == DicomVR.PN)
        {
            WritePersonNames(writer, element.GetStrings(owner.CharacterSet), options.PaddingIsNoValue);
        }
        else if (vr == DicomVR.IS || vr == DicomVR.DS)
        {
            foreach (var s in element.GetStrings())
            {
                DicomJsonNumbers.WriteNumericString(writer, s, vr == DicomVR.IS);
            }
        }
        else if (vr == DicomVR.AT)
        {
            foreach (var t in element.GetTags())
            {
                writer.WriteStringValue(Key(t));
            }
        }
        else if (vr.IsString)
        {
            foreach (var s in element.GetStrings(owner.CharacterSet))
            {
                if (s.Length == 0)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(s);
                }
            }
        }
        else
        {
            DicomJsonNumbers.WriteBinaryNumbers(writer, element, options.LargeIntegersAsStrings);
        }

        writer.WriteEndArray();
    }

    // No values once padding is removed; for PN, also names with only empty groups ("^^^^": PS3.5 6.2, trailing
    // component delimiters are not significant).
    private static bool IsOnlyPadding(string[] values, DicomVR vr) =>
        values.Length == 0 || (vr == DicomVR.PN && values.All(n => Array.TrueForAll(PersonNameGroups(n, trim: true), g => g.Length == 0)));

    private static string[] PersonNameGroups(string name, bool trim) =>
        trim ? [.. name.Split('=').Select(g => g.TrimEnd('^', ' '))] : name.Split('=');

    private static void WritePersonNames(Utf8JsonWriter writer, string[] names, bool trim)
    {
        foreach (var name in names)
        {
            var groups = PersonNameGroups(name, trim);
            if (name.Length == 0 || (trim && Array.TrueForAll(groups, g => g.Length == 0)))
            {
                writer.WriteNullValue();
                continue;
            }

            writer.WriteStartObject();
            ReadOnlySpan<string> keys = ["Alphabetic", "Ideographic", "Phonetic"];
            for (var g = 0; g < groups.Length && g < keys.Length; g++)
            {
                if (groups[g].Length > 0)
                {
                    writer.WriteString(keys[g], groups[g]);
                }
            }

            writer.WriteEndObject();
        }
    }

    private static void WriteBinary(Utf8JsonWriter writer, DicomJsonBulkValue value, DicomJsonWriterOptions options)
    {
        if (options.BulkDataUri?.Invoke(value) is { } uri)
        {
            writer.WriteString("BulkDataURI"u8, uri);
            return;
        }

        if (value.Length > options.MaxInlineBinaryLength)
        {
            throw new InvalidOperationException($"The value of {value.Element.Tag} is too large to write inline; give it a BulkDataURI.");
        }

        if (value.Element is DicomValueElement element)
        {
            writer.WriteBase64String("InlineBinary"u8, element.GetBytes().Span);
        }
        else if (value.Element is DicomFragmentSequence fragments)
        {
            writer.WriteBase64String("InlineBinary"u8, EncapsulatedBytes(fragments));
        }
    }

    private static long FragmentBytes(DicomFragmentSequence fragments) =>
        8 + fragments.OffsetTable.Length + fragments.Fragments.Sum(f => 8 + f.Length + (f.Length & 1));

    // The value of encapsulated Pixel Data as PS3.5 A.4 encodes it (items, without the sequence delimiter), as pydicom holds it.
    private static byte[] EncapsulatedBytes(DicomFragmentSequence fragments)
    {
        using var buffer = new MemoryStream();
        WriteItem(buffer, fragments.OffsetTable);
        foreach (var f in fragments.Fragments)
        {
            WriteItem(buffer, f);
        }

        return buffer.ToArray();
    }

    private static void WriteItem(MemoryStream buffer, DicomFragment fragment)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0xE000);
        var padded = fragment.Length + (fragment.Length & 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)padded);
        buffer.Write(header);
        using (var s = fragment.OpenRead())
        {
            s.CopyTo(buffer);
        }

        if ((fragment.Length & 1) == 1)
        {
            buffer.WriteByte(0);
        }
    }
}
