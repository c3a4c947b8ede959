using System.Globalization;
using System.Text.Json;
using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// Writes a QIDO-RS response body (<c>application/dicom+json</c>): a JSON array with one DICOM JSON object per result,
/// carrying the attributes <see cref="QidoResultAttributes"/> selects — empty when the entity has no value, so every
/// requested key is answered. Text is re-encoded as UTF-8, so Specific Character Set is always <c>ISO_IR 192</c>.
/// </summary>
public static class QidoResponseWriter
{
    /// <summary>Writes the array of <paramref name="results"/>.</summary>
    public static async Task WriteAsync(Utf8JsonWriter writer, QidoQuery query, IEnumerable<QidoResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(results);
        writer.WriteStartArray();
        foreach (var result in results)
        {
            await DicomJsonWriter.WriteAsync(writer, ToDataset(query, result), null, cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The dataset one result is written from.</summary>
    public static DicomDataset ToDataset(QidoQuery query, QidoResult result)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(result);
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        var nested = new Dictionary<DicomTag, DicomDataset>();
        foreach (var attribute in query.ReturnAttributes(result.Entity))
        {
            if (attribute.Tag == DicomTags.SpecificCharacterSet)
            {
                continue;
            }

            IReadOnlyList<string> values = attribute.Tag == DicomTags.RetrieveURL && attribute.Sequence is null
                ? (result.RetrieveUrl is { } url ? [url] : [])
                : result.Entity.GetValues(attribute) ?? [];
            if (attribute.Sequence is { } sq)
            {
                if (!nested.TryGetValue(sq, out var item))
                {
                    item = new DicomDataset();
                    nested[sq] = item;
                    dataset.Set(new DicomSequence(sq, [item]));
                }

                Put(item, attribute, values, dataset.CharacterSet);
            }
            else
            {
                Put(dataset, attribute, values, dataset.CharacterSet);
            }
        }

        return dataset;
    }

    private static void Put(DicomDataset target, QidoAttribute attribute, IReadOnlyList<string> values, DicomCharacterSet characterSet)
    {
        var vr = attribute.VR;
        if (vr.IsSequence)
        {
            target.Set(new DicomSequence(attribute.Tag));
        }
        else if (vr.IsString)
        {
            target.Set(DicomValueElement.FromStrings(attribute.Tag, vr, values, characterSet));
        }
        else if (vr == DicomVR.US)
        {
            target.Set(DicomValueElement.FromValues(attribute.Tag, vr, Parse(values, ushort.Parse)));
        }
        else if (vr == DicomVR.SS)
        {
            target.Set(DicomValueElement.FromValues(attribute.Tag, vr, Parse(values, short.Parse)));
        }
        else if (vr == DicomVR.UL)
        {
            target.Set(DicomValueElement.FromValues(attribute.Tag, vr, Parse(values, uint.Parse)));
        }
        else if (vr == DicomVR.SL)
        {
            target.Set(DicomValueElement.FromValues(attribute.Tag, vr, Parse(values, int.Parse)));
        }
        else
        {
            // Other binary VRs are not indexed; the key is answered empty.
            target.Set(new DicomValueElement(attribute.Tag, vr, ReadOnlyMemory<byte>.Empty));
        }
    }

    private static T[] Parse<T>(IReadOnlyList<string> values, Func<string, IFormatProvider, T> parse) =>
        values.Select(v => parse(v, CultureInfo.InvariantCulture)).ToArray();
}
