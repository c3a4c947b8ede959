using System.Globalization;
using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Clinical;
using CloudArchive.Dicom;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// WADO-RS <c>/metadata</c> of a study, series or instance: one DICOM JSON object per instance, from a header parse over
/// ranged reads (bulk values are skipped, not read). Every bulk value, and every binary value over 1 KiB, is given as a
/// <c>BulkDataURI</c> to this instance's <c>/bulkdata/{path}</c>, so the answer stays small whatever the pixel data.
/// </summary>
internal sealed class ClinicalMetadata(ClinicalArchive archive, ClinicalAuditor auditor)
{
    private const long InlineLimit = 1024;

    public async Task WriteAsync(ClinicalRequest request, ClinicalSelection selection, string operation)
    {
        var first = selection.Instances[0].Record;
        var instanceKey = selection.Instances.Count == 1 ? first.InstanceKey : null;
        if (!await auditor.RetrieveAsync(request, AuditOutcome.Success, selection.StudyKey, instanceKey, first.PatientPseudonym, null, operation, string.Create(CultureInfo.InvariantCulture, $"instances={selection.Instances.Count}")).ConfigureAwait(false))
        {
            await ClinicalRetrieve.AuditUnavailableAsync(request).ConfigureAwait(false);
            return;
        }

        var context = request.Context;
        ClinicalRetrieve.PrepareStreaming(context, "application/dicom+json");
        var root = RootUri(context.Request);
        var writer = new Utf8JsonWriter(context.Response.Body);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartArray();
            foreach (var entry in selection.Instances)
            {
                var instance = await ClinicalRetrieve.GetInstanceAsync(archive, entry, request.Aborted).ConfigureAwait(false);
                var (file, source) = await ClinicalRetrieve.ParseHeaderAsync(archive, instance, request.Aborted).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    using (file)
                    {
                        var dataset = file.Dataset;
                        var bulkBase = string.Create(CultureInfo.InvariantCulture, $"{root}/studies/{dataset.GetString(DicomTags.StudyInstanceUID)}/series/{dataset.GetString(DicomTags.SeriesInstanceUID)}/instances/{dataset.GetString(DicomTags.SOPInstanceUID)}/bulkdata/");
                        await DicomJsonWriter.WriteAsync(writer, dataset, new DicomJsonWriterOptions
                        {
                            BulkDataUri = value => value.Element is DicomFragmentSequence || value.Element is DicomValueElement { IsBulk: true } || value.Length > InlineLimit
                                ? bulkBase + value.Path
                                : null,
                        }, request.Aborted).ConfigureAwait(false);
                    }
                }
            }

            writer.WriteEndArray();
            await writer.FlushAsync(request.Aborted).ConfigureAwait(false);
        }
    }

    /// <summary>The clinical service root as the client addressed it.</summary>
    public static string RootUri(HttpRequest request) => $"{request.Scheme}://{request.Host}{ClinicalRoute.BasePath.TrimEnd('/')}";
}
