using System.Text.Encodings.Web;
using System.Text.Json;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>
/// What <c>dicom json</c> prints: the dataset in the DICOM JSON Model (PS3.18 Annex F) by the codec's
/// <see cref="DicomJsonWriter"/>, with the command's choices: File Meta and group lengths left out, UN as stored,
/// padding as no value, SV/UV always numbers, binary values over the threshold and all encapsulated pixel data as
/// <c>BulkDataURI</c> (or left out), shorter ones inline.
/// </summary>
public static class DicomJsonOutput
{
    /// <summary>Writes <paramref name="dataset"/> as one JSON object to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(DicomDataset dataset, Stream output, DicomJsonOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = options.Indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await using (writer.ConfigureAwait(false))
        {
            await DicomJsonWriter.WriteAsync(writer, dataset, WriterOptions(options), cancellationToken).ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static DicomJsonWriterOptions WriterOptions(DicomJsonOptions options)
    {
        // Encapsulated pixel data has no inline form in PS3.18 F.2.7 that keeps the fragments: it is always bulk data.
        bool IsBulk(DicomJsonBulkValue value) => value.Element is DicomFragmentSequence || value.Length > options.BulkDataThreshold;
        return new DicomJsonWriterOptions
        {
            ExcludeFileMetaGroup = true,
            KeepUnknownVR = true,
            PaddingIsNoValue = true,
            LargeIntegersAsStrings = false,
            Omit = options.OmitBulkData ? IsBulk : null,
            BulkDataUri = value => IsBulk(value) ? BulkUri(options, value.Path.ToString()) : null,

            // Inline values are at most the threshold, so the limit is the threshold's own.
            MaxInlineBinaryLength = int.MaxValue,
        };
    }

    private static string BulkUri(DicomJsonOptions options, string path) =>
        options.BulkDataUriBase is { } b ? $"{b.TrimEnd('/')}/{path}" : $"{options.SourceUri}#{path}";
}
