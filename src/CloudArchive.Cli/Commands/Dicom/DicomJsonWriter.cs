using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>
/// Writes a dataset in the DICOM JSON Model (PS3.18 Annex F): an object keyed by 8 uppercase hex
/// digits, each attribute with <c>vr</c> and one of <c>Value</c>, <c>InlineBinary</c> or
/// <c>BulkDataURI</c>. Group lengths and the File Meta group are not part of the model and are left out.
/// </summary>
public sealed partial class DicomJsonWriter
{
    private readonly DicomJsonOptions options;

    /// <summary>Creates a writer with the given options.</summary>
    public DicomJsonWriter(DicomJsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    /// <summary>Writes <paramref name="dataset"/> as one JSON object to <paramref name="output"/>.</summary>
    public async Task WriteAsync(DicomDataset dataset, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = options.Indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await using (writer.ConfigureAwait(false))
        {
            await WriteDatasetAsync(writer, dataset, string.Empty, cancellationToken).ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteDatasetAsync(Utf8JsonWriter writer, DicomDataset dataset, string pathPrefix, CancellationToken cancellationToken)
    {
        writer.WriteStartObject();
        foreach (var element in dataset)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (element.Tag.IsGroupLength || element.Tag.Group == 0x0002)
            {
                continue;
            }

            var key = element.Tag.Value.ToString("X8", CultureInfo.InvariantCulture);
            var path = pathPrefix + key;
            switch (element)
            {
                case DicomSequence sequence:
                    writer.WritePropertyName(key);
                    writer.WriteStartObject();
                    writer.WriteString("vr", "SQ");
                    if (sequence.Items.Count > 0)
                    {
                        writer.WriteStartArray("Value");
                        for (var i = 0; i < sequence.Items.Count; i++)
                        {
                            await WriteDatasetAsync(writer, sequence.Items[i], $"{path}/{i}/", cancellationToken).ConfigureAwait(false);
                        }

                        writer.WriteEndArray();
                    }

                    writer.WriteEndObject();
                    break;
                case DicomFragmentSequence fragments:
                    // Encapsulated pixel data has no inline form in PS3.18 F.2.7 that keeps the fragments; it is bulk data.
                    if (!options.OmitBulkData)
                    {
                        writer.WritePropertyName(key);
                        writer.WriteStartObject();
                        writer.WriteString("vr", fragments.VR.Code);
                        writer.WriteString("BulkDataURI", BulkUri(path));
                        writer.WriteEndObject();
                    }

                    break;
                case DicomValueElement value:
                    await WriteValueElementAsync(writer, key, path, value, dataset.CharacterSet, cancellationToken).ConfigureAwait(false);
                    break;
            }

            if (writer.BytesPending > 1 << 20)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        writer.WriteEndObject();
    }

    private string BulkUri(string path) =>
        options.BulkDataUriBase is { } b ? $"{b.TrimEnd('/')}/{path}" : $"{options.SourceUri}#{path}";

    private async Task WriteValueElementAsync(Utf8JsonWriter writer, string key, string path, DicomValueElement element, DicomCharacterSet characterSet, CancellationToken cancellationToken)
    {
        var vr = element.VR;
        var binary = vr.IsBinary && !IsNumberVR(vr) && vr != DicomVR.AT;
        // The JSON threshold alone decides: a value the reader left on disk is streamed into InlineBinary
        // when it is short enough, so the output does not depend on the reader's own bulk threshold.
        var bulk = binary && element.Length > options.BulkDataThreshold;
        if (bulk && options.OmitBulkData)
        {
            return;
        }

        writer.WritePropertyName(key);
        writer.WriteStartObject();
        writer.WriteString("vr", vr.Code);
        if (element.Length == 0)
        {
            writer.WriteEndObject();
            return;
        }

        if (bulk)
        {
            writer.WriteString("BulkDataURI", BulkUri(path));
        }
        else if (binary)
        {
            await WriteInlineBinaryAsync(writer, element, cancellationToken).ConfigureAwait(false);
        }
        else if (vr == DicomVR.AT)
        {
            writer.WriteStartArray("Value");
            foreach (var t in element.GetTags())
            {
                writer.WriteStringValue(t.Value.ToString("X8", CultureInfo.InvariantCulture));
            }

            writer.WriteEndArray();
        }
        else if (IsNumberVR(vr))
        {
            writer.WriteStartArray("Value");
            WriteNumbers(writer, element);
            writer.WriteEndArray();
        }
        else
        {
            var values = element.GetStrings(characterSet);
            if (vr == DicomVR.PN && values.All(v => PersonNameGroups(v).All(g => g.Length == 0)))
            {
                // "^^^^" has only empty components (PS3.5 6.2: trailing delimiters are padding): no value.
                values = [];
            }

            if (values.Length > 0)
            {
                writer.WriteStartArray("Value");
                foreach (var v in values)
                {
                    WriteStringValue(writer, vr, v);
                }

                writer.WriteEndArray();
            }
        }

        writer.WriteEndObject();
    }

    private static async Task WriteInlineBinaryAsync(Utf8JsonWriter writer, DicomValueElement element, CancellationToken cancellationToken)
    {
        // Inline values are at most the bulk threshold, so one buffer is bounded.
        var length = checked((int)element.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var stream = element.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                await stream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }

            writer.WriteBase64String("InlineBinary", buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsNumberVR(DicomVR vr) =>
        vr == DicomVR.US || vr == DicomVR.SS || vr == DicomVR.UL || vr == DicomVR.SL || vr == DicomVR.UV || vr == DicomVR.SV || vr == DicomVR.FL || vr == DicomVR.FD;

    private static void WriteNumbers(Utf8JsonWriter writer, DicomValueElement element)
    {
        var vr = element.VR;
        if (vr == DicomVR.US)
        {
            foreach (var v in element.GetValues<ushort>())
            {
                writer.WriteNumberValue(v);
            }
        }
        else if (vr == DicomVR.SS)
        {
            foreach (var v in element.GetValues<short>())
            {
                writer.WriteNumberValue(v);
            }
        }
        else if (vr == DicomVR.UL)
        {
            foreach (var v in element.GetValues<uint>())
            {
                writer.WriteNumberValue(v);
            }
        }
        else if (vr == DicomVR.SL)
        {
            foreach (var v in element.GetValues<int>())
            {
                writer.WriteNumberValue(v);
            }
        }
        else if (vr == DicomVR.UV)
        {
            foreach (var v in element.GetValues<ulong>())
            {
                writer.WriteNumberValue(v);
            }
        }
        else if (vr == DicomVR.SV)
        {
            foreach (var v in element.GetValues<long>())
            {
                writer.WriteNumberValue(v);
            }
        }
        else if (vr == DicomVR.FL)
        {
            foreach (var v in element.GetValues<float>())
            {
                WriteFloating(writer, v);
            }
        }
        else
        {
            foreach (var v in element.GetValues<double>())
            {
                WriteFloating(writer, v);
            }
        }
    }

    private static void WriteFloating(Utf8JsonWriter writer, double value)
    {
        // JSON has no NaN or infinity; PS3.18 F.2.3.1 leaves them as these strings.
        if (double.IsNaN(value))
        {
            writer.WriteStringValue("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            writer.WriteStringValue("Infinity");
        }
        else if (double.IsNegativeInfinity(value))
        {
            writer.WriteStringValue("-Infinity");
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    private static void WriteFloating(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            WriteFloating(writer, (double)value);
        }
    }

    private static void WriteStringValue(Utf8JsonWriter writer, DicomVR vr, string value)
    {
        if (value.Length == 0)
        {
            // F.2.5: an empty value inside a multi-valued attribute is null.
            writer.WriteNullValue();
            return;
        }

        if (vr == DicomVR.PN)
        {
            WritePersonName(writer, value);
        }
        else if (vr == DicomVR.IS && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (vr == DicomVR.DS && JsonNumber().IsMatch(value))
        {
            // Keep the decimal string's own digits ("0.1500" stays 0.1500): a double would round it.
            writer.WriteRawValue(value, skipInputValidation: false);
        }
        else if (vr == DicomVR.DS && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            // Includes a malformed IS/DS ("1A" in badVR.dcm): kept as text rather than lost.
            writer.WriteStringValue(value);
        }
    }

    private static string[] PersonNameGroups(string value) =>
        value.Split('=').Select(g => g.TrimEnd('^', ' ')).ToArray();

    private static void WritePersonName(Utf8JsonWriter writer, string value)
    {
        // Trailing component delimiters are not significant (PS3.5 6.2.1), so "^^^^" is an empty group.
        var groups = PersonNameGroups(value);
        if (groups.All(g => g.Length == 0))
        {
            writer.WriteNullValue();
            return;
        }

        string[] names = ["Alphabetic", "Ideographic", "Phonetic"];
        writer.WriteStartObject();
        for (var i = 0; i < groups.Length && i < names.Length; i++)
        {
            if (groups[i].Length > 0)
            {
                writer.WriteString(names[i], groups[i]);
            }
        }

        writer.WriteEndObject();
    }

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
