using System.Globalization;
using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Dicom;
using CloudArchive.Functions.DicomWeb.Http;
using CloudArchive.Research.DicomWeb;
using Microsoft.AspNetCore.Http.Features;

namespace CloudArchive.Functions.DicomWeb.Research;

/// <summary>
/// WADO-RS over the de-identified copies: instances as <c>multipart/related; type="application/dicom"</c> in their
/// stored transfer syntax (streamed blob to response), <c>/metadata</c> as DICOM JSON with BulkDataURIs, <c>/bulkdata</c>
/// and <c>/frames</c> as <c>application/octet-stream</c> (or the encapsulated type). Nothing is transcoded: a
/// transfer syntax other than the stored one is 406.
/// </summary>
internal sealed class ResearchWadoResponder(ResearchDicomWebService service, ILogger logger)
{
    /// <summary>Binary values at most this long are written inline in metadata; longer ones get a BulkDataURI.</summary>
    public const int InlineLimit = 1024;

    private const string NativeLittleEndian = "1.2.840.10008.1.2.1";
    private const string ImplicitLittleEndian = "1.2.840.10008.1.2";

    public async Task RespondAsync(ResearchDicomWebRequest request)
    {
        var route = request.Route;
        var entries = await service.FindAsync(request.AgreementId, route.StudyUid!, route.SeriesUid, route.InstanceUid, request.Aborted).ConfigureAwait(false);
        var operation = "wado-" + route.Kind.ToString().ToLowerInvariant();
        if (entries.Count == 0)
        {
            await ResearchDicomWebHandler.RefuseAsync(request, AuditEventType.InstancesAccessed, operation, StatusCodes.Status404NotFound, "not-found", "No such resource.").ConfigureAwait(false);
            return;
        }

        switch (route.Kind)
        {
            case ResearchDicomWebRouteKind.Retrieve:
                await RetrieveAsync(request, entries, operation).ConfigureAwait(false);
                break;
            case ResearchDicomWebRouteKind.Metadata:
                await MetadataAsync(request, entries, operation).ConfigureAwait(false);
                break;
            default:
                await PixelsOrBulkAsync(request, entries[0], operation).ConfigureAwait(false);
                break;
        }
    }

    private async Task RetrieveAsync(ResearchDicomWebRequest request, IReadOnlyList<ResearchDicomIndexEntry> entries, string operation)
    {
        var context = request.Context;
        var chosen = DicomWebNegotiation.Negotiate(context.Request.Headers.Accept, [DicomWebRepresentation.MultipartDicom], (_, ts) => entries.All(e => e.TransferSyntax == ts));
        if (chosen is null)
        {
            await ResearchDicomWebHandler.RefuseAsync(request, AuditEventType.InstancesAccessed, operation, StatusCodes.Status406NotAcceptable, "not-acceptable",
                "Instances are sent as multipart/related; type=\"application/dicom\" in their stored transfer syntax (ask for transfer-syntax=*); nothing is transcoded.").ConfigureAwait(false);
            return;
        }

        if (!await request.Audit(AuditEventType.InstancesAccessed, AuditOutcome.Success, entries.Sum(e => e.Length), operation, Count("instances", entries.Count)).ConfigureAwait(false))
        {
            return;
        }

        var writer = Start(context);
        context.Response.ContentType = writer.ContentType("application/dicom");
        var skipped = 0;
        foreach (var entry in entries)
        {
            var blob = await service.OpenAsync(request.AgreementId, entry, request.Aborted).ConfigureAwait(false);
            if (blob is null)
            {
                skipped++; // withdrawn since it was indexed: never released
                continue;
            }

            await using (blob.ConfigureAwait(false))
            {
                await writer.WritePartAsync($"application/dicom; transfer-syntax={entry.TransferSyntax}", blob.Content, request.Aborted, [KeyValuePair.Create("Content-Location", request.InstanceUrl(entry))]).ConfigureAwait(false);
            }
        }

        await writer.CompleteAsync(request.Aborted).ConfigureAwait(false);
        if (skipped > 0)
        {
            logger.LogWarning("Research DICOMweb: {Skipped} instance(s) were withdrawn after indexing and left out.", skipped);
        }
    }

    private async Task MetadataAsync(ResearchDicomWebRequest request, IReadOnlyList<ResearchDicomIndexEntry> entries, string operation)
    {
        var context = request.Context;
        if (DicomWebNegotiation.Negotiate(context.Request.Headers.Accept, [DicomWebRepresentation.DicomJson]) is null)
        {
            await ResearchDicomWebHandler.RefuseAsync(request, AuditEventType.InstancesAccessed, operation, StatusCodes.Status406NotAcceptable, "not-acceptable", "Metadata is application/dicom+json.").ConfigureAwait(false);
            return;
        }

        if (!await request.Audit(AuditEventType.InstancesAccessed, AuditOutcome.Success, null, operation, Count("instances", entries.Count)).ConfigureAwait(false))
        {
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/dicom+json";
        response.Headers.CacheControl = "no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartArray();
        foreach (var entry in entries)
        {
            var file = await service.ReadAsync(request.AgreementId, entry, request.Aborted).ConfigureAwait(false);
            if (file is null)
            {
                continue;
            }

            await using (file.ConfigureAwait(false))
            {
                var baseUri = request.InstanceUrl(entry) + "/bulkdata/";
                var options = new DicomJsonWriterOptions
                {
                    BulkDataUri = v => v.Length > InlineLimit || v.Element.Tag == DicomTags.PixelData ? baseUri + v.Path : null,
                };
                await DicomJsonWriter.WriteAsync(json, file.Dataset, options, request.Aborted).ConfigureAwait(false);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(request.Aborted).ConfigureAwait(false);
    }

    private async Task PixelsOrBulkAsync(ResearchDicomWebRequest request, ResearchDicomIndexEntry entry, string operation)
    {
        var file = await service.ReadAsync(request.AgreementId, entry, request.Aborted).ConfigureAwait(false);
        if (file is null)
        {
            await ResearchDicomWebHandler.RefuseAsync(request, AuditEventType.InstancesAccessed, operation, StatusCodes.Status404NotFound, "not-found", "No such resource.").ConfigureAwait(false);
            return;
        }

        await using (file.ConfigureAwait(false))
        {
            var parts = request.Route.Kind == ResearchDicomWebRouteKind.Frames ? Frames(file, request.Route.Frames!) : Bulk(file, request.Route.BulkPath!);
            if (parts is null)
            {
                await ResearchDicomWebHandler.RefuseAsync(request, AuditEventType.InstancesAccessed, operation, StatusCodes.Status404NotFound, "not-found",
                    request.Route.Kind == ResearchDicomWebRouteKind.Frames ? "The instance has no such frames." : "The instance has no such bulk data element.").ConfigureAwait(false);
                return;
            }

            var (frames, encapsulated) = parts.Value;
            var stored = file.TransferSyntax.Uid;
            var offers = new List<DicomWebRepresentation>();
            if (encapsulated && EncapsulatedMediaTypes.For(stored) is { } media)
            {
                offers.Add(new DicomWebRepresentation("multipart/related", media, stored));
            }

            offers.Add(DicomWebRepresentation.MultipartOctetStream);
            if (frames.Count == 1)
            {
                offers.Add(DicomWebRepresentation.OctetStream);
            }

            // Native values are served little endian whatever the stored syntax, i.e. as Explicit (or Implicit) VR Little Endian.
            var chosen = DicomWebNegotiation.Negotiate(request.Context.Request.Headers.Accept, offers,
                (_, ts) => encapsulated ? ts == stored : ts is NativeLittleEndian or ImplicitLittleEndian);
            if (chosen is null)
            {
                await ResearchDicomWebHandler.RefuseAsync(request, AuditEventType.InstancesAccessed, operation, StatusCodes.Status406NotAcceptable, "not-acceptable",
                    encapsulated
                        ? $"The pixel data is stored compressed: ask for multipart/related; type=\"{EncapsulatedMediaTypes.For(stored) ?? "application/octet-stream"}\" or transfer-syntax=*; nothing is transcoded."
                        : "Frames and bulk data are application/octet-stream (multipart/related, or single part for one value).").ConfigureAwait(false);
                return;
            }

            if (!await request.Audit(AuditEventType.InstancesAccessed, AuditOutcome.Success, frames.Sum(f => f.Length), operation, Count("parts", frames.Count)).ConfigureAwait(false))
            {
                return;
            }

            var partType = chosen.Representation.PartType ?? chosen.Representation.MediaType;
            var partContentType = encapsulated || partType != "application/octet-stream" ? $"{partType}; transfer-syntax={(encapsulated ? stored : NativeLittleEndian)}" : partType;
            if (chosen.Representation.PartType is null)
            {
                var response = request.Context.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = partContentType;
                response.ContentLength = frames[0].Length;
                await using var content = frames[0].OpenRead();
                await content.CopyToAsync(response.Body, 81920, request.Aborted).ConfigureAwait(false);
                return;
            }

            var writer = Start(request.Context);
            request.Context.Response.ContentType = writer.ContentType(partType);
            foreach (var frame in frames)
            {
                await using var content = frame.OpenRead();
                await writer.WritePartAsync(partContentType, content, request.Aborted).ConfigureAwait(false);
            }

            await writer.CompleteAsync(request.Aborted).ConfigureAwait(false);
        }
    }

    private static (IReadOnlyList<DicomPixelFrame> Parts, bool Encapsulated)? Frames(DicomFile file, IReadOnlyList<int> numbers)
    {
        IReadOnlyList<DicomPixelFrame> all;
        try
        {
            all = DicomPixelFrames.GetFrames(file.Dataset);
        }
        catch (DicomFormatException)
        {
            return null;
        }

        if (numbers.Any(n => n < 1 || n > all.Count))
        {
            return null;
        }

        return (numbers.Select(n => all[n - 1]).ToList(), file.Dataset.Get(DicomTags.PixelData) is DicomFragmentSequence);
    }

    private static (IReadOnlyList<DicomPixelFrame> Parts, bool Encapsulated)? Bulk(DicomFile file, DicomElementPath path)
    {
        switch (path.Resolve(file.Dataset))
        {
            case DicomValueElement { VR.IsBinary: true } value:
                return ([DicomPixelFrame.Of(value.Length, value.OpenRead)], false);
            case DicomFragmentSequence:
                // The bulk data of encapsulated Pixel Data is its frames, in order.
                return (DicomPixelFrames.GetFrames(file.Dataset), true);
            default:
                return null;
        }
    }

    private static MultipartRelatedWriter Start(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.CacheControl = "no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return new MultipartRelatedWriter(response.Body);
    }

    private static string Count(string what, int n) => what + "=" + n.ToString(CultureInfo.InvariantCulture);
}
