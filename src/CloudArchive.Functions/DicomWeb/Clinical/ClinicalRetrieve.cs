using System.Globalization;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Clinical;
using CloudArchive.Dicom;
using CloudArchive.Functions.DicomWeb.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// WADO-RS over the original archive: a study, series or instance as <c>multipart/related; type="application/dicom"</c>
/// (each instance as stored, decrypted region by region while it streams), <c>/metadata</c> as DICOM JSON with
/// BulkDataURIs, <c>/bulkdata</c> and <c>/frames</c> through ranged reads of only the regions that hold them. The target
/// is resolved by Core (<see cref="ClinicalArchive"/>): a shredded study is 410, an unknown one 404; the 110103 line is
/// written before any byte.
/// </summary>
internal sealed class ClinicalRetrieve(ClinicalArchive archive, ClinicalAuditor auditor)
{
    /// <summary>Header parses read values above this size by reference (never into memory), so frames and bulk data are fetched by range.</summary>
    private static readonly DicomReaderOptions HeaderParse = new() { BulkDataThreshold = 16 * 1024 };

    public async Task RetrieveAsync(ClinicalRequest request, ClinicalRoute route)
    {
        var operation = route.Kind switch
        {
            ClinicalRouteKind.RetrieveStudy => "retrieve-study",
            ClinicalRouteKind.RetrieveSeries => "retrieve-series",
            ClinicalRouteKind.RetrieveInstance => "retrieve-instance",
            ClinicalRouteKind.Metadata => "metadata",
            ClinicalRouteKind.Frames => "frames",
            _ => "bulkdata",
        };
        var accept = request.Context.Request.Headers.Accept;
        if (route.Kind == ClinicalRouteKind.Metadata && DicomWebNegotiation.Negotiate(accept, [DicomWebRepresentation.DicomJson]) is null)
        {
            await NotAcceptableAsync(request, operation).ConfigureAwait(false);
            return;
        }

        var selection = await archive.SelectAsync(route.StudyUid!, route.SeriesUid, route.InstanceUid, request.Aborted).ConfigureAwait(false);
        if (selection.Status != ClinicalSelectionStatus.Found)
        {
            var gone = selection.Status == ClinicalSelectionStatus.Gone;
            if (await auditor.RetrieveAsync(request, AuditOutcome.MinorFailure, selection.StudyKey, null, null, null, operation, gone ? "study-shredded" : "not-found").ConfigureAwait(false))
            {
                await (gone
                    ? ClinicalResponses.ErrorAsync(request.Context, StatusCodes.Status410Gone, "study-shredded", "The study was crypto-shredded; it is no longer in the archive.")
                    : ClinicalResponses.ErrorAsync(request.Context, StatusCodes.Status404NotFound, "not-found", "No such study, series or instance in the archive.")).ConfigureAwait(false);
            }
            else
            {
                await AuditUnavailableAsync(request).ConfigureAwait(false);
            }

            return;
        }

        switch (route.Kind)
        {
            case ClinicalRouteKind.Metadata:
                await new ClinicalMetadata(archive, auditor).WriteAsync(request, selection, operation).ConfigureAwait(false);
                break;
            case ClinicalRouteKind.Frames:
            case ClinicalRouteKind.BulkData:
                await new ClinicalFrames(archive, auditor).WriteAsync(request, route, selection.Instances[0], operation).ConfigureAwait(false);
                break;
            default:
                await InstancesAsync(request, selection, operation).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Parses an instance's header over ranged reads (bulk values by reference); dispose the result, then the stream.</summary>
    public static async Task<(DicomFile File, Stream Source)> ParseHeaderAsync(ClinicalArchive archive, ArchivedInstance instance, CancellationToken cancellationToken)
    {
        var source = archive.Reader.OpenSeekable(instance);
        try
        {
            return (await DicomReader.ReadAsync(source, HeaderParse, cancellationToken).ConfigureAwait(false), source);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens an archived instance, failing when it vanished after the look-up.</summary>
    public static async Task<ArchivedInstance> GetInstanceAsync(ClinicalArchive archive, ClinicalIndexEntry entry, CancellationToken cancellationToken) =>
        await archive.Reader.GetAsync(entry.Record.StudyKey, entry.Record.InstanceKey, cancellationToken).ConfigureAwait(false)
        ?? throw new FileNotFoundException("An archived instance disappeared after it was looked up.");

    public static Task AuditUnavailableAsync(ClinicalRequest request) =>
        ClinicalResponses.ErrorAsync(request.Context, StatusCodes.Status503ServiceUnavailable, "audit-unavailable", "The access could not be recorded, so nothing is released; try again later.");

    public static void PrepareStreaming(HttpContext context, string contentType)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        ClinicalResponses.NoStore(response);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private async Task NotAcceptableAsync(ClinicalRequest request, string operation)
    {
        request.Audited = true;
        await auditor.RefusedAsync(request, operation, "not-acceptable").ConfigureAwait(false);
        await ClinicalResponses.ErrorAsync(request.Context, StatusCodes.Status406NotAcceptable, "not-acceptable",
            "Instances are served as multipart/related; type=\"application/dicom\" in their stored transfer syntax (transfer-syntax=* or the stored one; the archive does not transcode), metadata as application/dicom+json.").ConfigureAwait(false);
    }

    private async Task InstancesAsync(ClinicalRequest request, ClinicalSelection selection, string operation)
    {
        // Never transcoded: a transfer syntax the client names must be the one every selected instance is stored in.
        var stored = selection.Instances.Select(i => i.Record.TransferSyntaxUid).Distinct(StringComparer.Ordinal).ToList();
        if (DicomWebNegotiation.Negotiate(request.Context.Request.Headers.Accept, [DicomWebRepresentation.MultipartDicom], (_, ts) => stored.Count == 1 && stored[0] == ts) is null)
        {
            await NotAcceptableAsync(request, operation).ConfigureAwait(false);
            return;
        }

        var first = selection.Instances[0].Record;
        var bytes = selection.Instances.Sum(i => i.Record.ArchivedLength);
        var instanceKey = selection.Instances.Count == 1 ? first.InstanceKey : null;
        if (!await auditor.RetrieveAsync(request, AuditOutcome.Success, selection.StudyKey, instanceKey, first.PatientPseudonym, bytes, operation, string.Create(CultureInfo.InvariantCulture, $"instances={selection.Instances.Count}")).ConfigureAwait(false))
        {
            await AuditUnavailableAsync(request).ConfigureAwait(false);
            return;
        }

        var multipart = new MultipartRelatedWriter(request.Context.Response.Body);
        PrepareStreaming(request.Context, multipart.ContentType("application/dicom"));
        foreach (var entry in selection.Instances)
        {
            var instance = await GetInstanceAsync(archive, entry, request.Aborted).ConfigureAwait(false);
            var plain = await archive.Reader.OpenAsync(instance, request.Aborted).ConfigureAwait(false);
            await using (plain.ConfigureAwait(false))
            {
                await multipart.WritePartAsync("application/dicom; transfer-syntax=" + entry.Record.TransferSyntaxUid, plain, request.Aborted).ConfigureAwait(false);
            }
        }

        await multipart.CompleteAsync(request.Aborted).ConfigureAwait(false);
    }
}
