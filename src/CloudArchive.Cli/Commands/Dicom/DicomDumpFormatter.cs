using System.Globalization;
using System.Text;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>
/// Writes a dcmdump-like listing: one line per element with tag, VR, value, value length, value
/// multiplicity and keyword; sequence items and encapsulated fragments are shown nested and indented.
/// </summary>
public sealed class DicomDumpFormatter
{
    private const int ValueColumnWidth = 40;
    private const int PreviewBytes = 32;
    private readonly TextWriter _output;
    private readonly int _maxValueLength;

    /// <summary>Creates a formatter writing to <paramref name="output"/>.</summary>
    /// <param name="output">Where the listing goes.</param>
    /// <param name="maxValueLength">Values longer than this many characters are cut and end in "..."; 0 prints them in full.</param>
    public DicomDumpFormatter(TextWriter output, int maxValueLength = 64)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(maxValueLength);
        this._output = output;
        this._maxValueLength = maxValueLength;
    }

    /// <summary>Writes the File Meta group and the dataset of <paramref name="file"/>.</summary>
    public async Task WriteAsync(DicomFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var sb = new StringBuilder();
        sb.Append("# Dicom-File-Format\n");
        sb.Append(CultureInfo.InvariantCulture, $"# Preamble: {(file.HadPreamble ? "yes" : "no")}\n");
        if (file.FileMetaInformation.Count > 0)
        {
            sb.Append("\n# Dicom-Meta-Information-Header\n# Used TransferSyntax: 1.2.840.10008.1.2.1 (Explicit VR Little Endian)\n");
            AppendDataset(sb, file.FileMetaInformation, 0);
        }
        else
        {
            sb.Append("\n# Dicom-Meta-Information-Header: none in the file\n");
        }

        var guessed = file.TransferSyntaxWasGuessed ? " (detected from the data: no Transfer Syntax UID in the file)" : string.Empty;
        sb.Append(CultureInfo.InvariantCulture, $"\n# Dicom-Data-Set\n# Used TransferSyntax: {file.TransferSyntax}{guessed}\n");
        AppendDataset(sb, file.Dataset, 0);
        await _output.WriteAsync(sb, cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Keyword(DicomTag tag, string? keyword) =>
        keyword is { Length: > 0 } ? keyword
        : tag.IsGroupLength ? "GroupLength"
        : tag.IsPrivateCreator ? "PrivateCreator"
        : tag.IsPrivate ? "PrivateTag"
        : "UnknownTag";

    private void AppendDataset(StringBuilder sb, DicomDataset dataset, int indent)
    {
        foreach (var element in dataset)
        {
            switch (element)
            {
                case DicomSequence sequence:
                    AppendSequence(sb, sequence, indent);
                    break;
                case DicomFragmentSequence fragments:
                    AppendFragments(sb, fragments, indent);
                    break;
                case DicomValueElement value:
                    var (text, vm) = ValueText(value, dataset.CharacterSet);
                    AppendLine(sb, indent, element.Tag, element.VR.Code, text, value.Length.ToString(CultureInfo.InvariantCulture), vm, Keyword(element.Tag, element.Keyword));
                    break;
                default:
                    AppendLine(sb, indent, element.Tag, element.VR.Code, "(unsupported element type)", "?", 0, Keyword(element.Tag, element.Keyword));
                    break;
            }
        }
    }

    private void AppendSequence(StringBuilder sb, DicomSequence sequence, int indent)
    {
        var kind = sequence.UndefinedLength ? "undefined" : "explicit";
        AppendLine(sb, indent, sequence.Tag, sequence.VR.Code, $"(Sequence with {kind} length #={sequence.Items.Count})", sequence.UndefinedLength ? "u/l" : "def", 1, Keyword(sequence.Tag, sequence.Keyword));
        foreach (var item in sequence.Items)
        {
            var itemKind = item.UndefinedLength ? "undefined" : "explicit";
            AppendLine(sb, indent + 2, DicomTags.Item, "na", $"(Item with {itemKind} length #={item.Count})", item.UndefinedLength ? "u/l" : "def", 1, "Item");
            AppendDataset(sb, item, indent + 4);
            if (item.UndefinedLength)
            {
                AppendLine(sb, indent + 2, DicomTags.ItemDelimitationItem, "na", "(ItemDelimitationItem)", "0", 0, "ItemDelimitationItem");
            }
        }

        if (sequence.UndefinedLength)
        {
            AppendLine(sb, indent, DicomTags.SequenceDelimitationItem, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
        }
    }

    private void AppendFragments(StringBuilder sb, DicomFragmentSequence pixels, int indent)
    {
        AppendLine(sb, indent, pixels.Tag, pixels.VR.Code, $"(PixelSequence #={pixels.Fragments.Count + 1})", "u/l", 1, Keyword(pixels.Tag, pixels.Keyword));
        AppendLine(sb, indent + 2, DicomTags.Item, "pi", FragmentPreview(pixels.OffsetTable), pixels.OffsetTable.Length.ToString(CultureInfo.InvariantCulture), 1, "Item (Basic Offset Table)");
        foreach (var fragment in pixels.Fragments)
        {
            AppendLine(sb, indent + 2, DicomTags.Item, "pi", FragmentPreview(fragment), fragment.Length.ToString(CultureInfo.InvariantCulture), 1, "Item");
        }

        AppendLine(sb, indent, DicomTags.SequenceDelimitationItem, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
    }

    private void AppendLine(StringBuilder sb, int indent, DicomTag tag, string vr, string value, string length, int vm, string keyword)
    {
        sb.Append(' ', indent);
        sb.Append(tag.ToString()).Append(' ').Append(vr).Append(' ');
        var shown = Truncate(value);
        sb.Append(shown);
        if (shown.Length < ValueColumnWidth)
        {
            sb.Append(' ', ValueColumnWidth - shown.Length);
        }

        sb.Append(CultureInfo.InvariantCulture, $" # {length,4}, {vm} {keyword}\n");
    }

    private string Truncate(string value) =>
        _maxValueLength > 0 && value.Length > _maxValueLength ? string.Concat(value.AsSpan(0, _maxValueLength - 3), "...") : value;

    private static string FragmentPreview(DicomFragment fragment)
    {
        if (fragment.Length == 0)
        {
            return "(no value available)";
        }

        using var stream = fragment.OpenRead();
        return HexPreview(stream, fragment.Length, 1);
    }

    /// <summary>Returns the display text of a value and its value multiplicity.</summary>
    internal static (string Text, int Vm) ValueText(DicomValueElement element, DicomCharacterSet characterSet)
    {
        if (element.Length == 0)
        {
            return ("(no value available)", 0);
        }

        var vr = element.VR;
        if (vr.IsString)
        {
            var values = element.GetStrings(characterSet);
            return values.Length == 0 ? ("(no value available)", 0) : ($"[{Escape(string.Join('\\', values))}]", values.Length);
        }

        if (vr == DicomVR.AT)
        {
            var tags = element.GetTags();
            return (string.Join('\\', tags.Select(t => t.ToString())), tags.Length);
        }

        if (!element.IsBulk || element.Length <= 4096)
        {
            var numbers = NumericValues(element);
            if (numbers is not null)
            {
                return (string.Join('\\', numbers), numbers.Length);
            }
        }

        // OB, OW, OD, OF, OL, OV, UN: a hex preview of the first bytes, never the whole (bulk) value.
        var unit = vr == DicomVR.OW ? 2 : vr == DicomVR.OL || vr == DicomVR.OF ? 4 : vr == DicomVR.OD || vr == DicomVR.OV ? 8 : 1;
        using var stream = element.OpenRead();
        return (HexPreview(stream, element.Length, unit), 1);
    }

    private static string[]? NumericValues(DicomValueElement element)
    {
        var vr = element.VR;
        var c = CultureInfo.InvariantCulture;
        if (vr == DicomVR.US)
        {
            return element.GetValues<ushort>().Select(v => v.ToString(c)).ToArray();
        }

        if (vr == DicomVR.SS)
        {
            return element.GetValues<short>().Select(v => v.ToString(c)).ToArray();
        }

        if (vr == DicomVR.UL)
        {
            return element.GetValues<uint>().Select(v => v.ToString(c)).ToArray();
        }

        if (vr == DicomVR.SL)
        {
            return element.GetValues<int>().Select(v => v.ToString(c)).ToArray();
        }

        if (vr == DicomVR.UV)
        {
            return element.GetValues<ulong>().Select(v => v.ToString(c)).ToArray();
        }

        if (vr == DicomVR.SV)
        {
            return element.GetValues<long>().Select(v => v.ToString(c)).ToArray();
        }

        if (vr == DicomVR.FL || vr == DicomVR.OF)
        {
            return element.GetValues<float>().Select(v => v.ToString("R", c)).ToArray();
        }

        if (vr == DicomVR.FD || vr == DicomVR.OD)
        {
            return element.GetValues<double>().Select(v => v.ToString("R", c)).ToArray();
        }

        return null;
    }

    private static string HexPreview(Stream stream, long length, int unit)
    {
        var take = (int)Math.Min(length, PreviewBytes);
        take -= take % unit;
        if (take == 0)
        {
            take = (int)Math.Min(length, PreviewBytes);
            unit = 1;
        }

        var buffer = new byte[take];
        stream.ReadExactly(buffer);
        var sb = new StringBuilder(take * 3);
        for (var i = 0; i < take; i += unit)
        {
            if (i > 0)
            {
                sb.Append('\\');
            }

            // Values are little endian in memory; print each word most significant byte first, as dcmdump does.
            for (var b = unit - 1; b >= 0; b--)
            {
                sb.Append(buffer[i + b].ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        if (length > take)
        {
            sb.Append("...");
        }

        return sb.ToString();
    }

    private static string Escape(string text)
    {
        // Control characters (CR/LF in LT/ST/UT) would break the one-line-per-element layout.
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            _ = ch switch
            {
                '\r' => sb.Append("\\r"),
                '\n' => sb.Append("\\n"),
                '\t' => sb.Append("\\t"),
                _ when char.IsControl(ch) => sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)ch:x2}"),
                _ => sb.Append(ch),
            };
        }

        return sb.ToString();
    }
}
