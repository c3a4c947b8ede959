using System.Globalization;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Clinical;
using CloudArchive.Dicom;
using CloudArchive.Functions.DicomWeb.Http;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// WADO-RS <c>/frames/{list}</c> and <c>/bulkdata/{path}</c> of one instance, as <c>multipart/related</c>: the header is
/// parsed over ranged reads with bulk values left in place (<see cref="FrameLayout"/>), then each frame or value is
/// fetched with ranged reads of only the encryption regions that hold it. Uncompressed frames and bulk values are
/// <c>application/octet-stream</c>; compressed frames keep their stored encoding (<see cref="ClinicalMediaTypes"/>).
/// </summary>
internal sealed class ClinicalFrames(ClinicalArchive archive, ClinicalAuditor auditor)
{
    private const int CopyBuffer = 128 * 1024;

    /// <summary>Uncompressed frames are the same bytes in either little endian transfer syntax.</summary>
    private static readonly string[] UncompressedLittleEndian = ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"];

    public async Task WriteAsync(ClinicalRequest request, ClinicalRoute route, ClinicalIndexEntry entry, string operation)
    {
        var context = request.Context;
        var instance = await ClinicalRetrieve.GetInstanceAsync(archive, entry, request.Aborted).ConfigureAwait(false);
        var (file, source) = await ClinicalRetrieve.ParseHeaderAsync(archive, instance, request.Aborted).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            using (file)
            {
                List<IReadOnlyList<FramePiece>> parts;
                string mediaType;
                try
                {
                    (parts, mediaType) = route.Kind == ClinicalRouteKind.Frames ? Frames(file, route.Frames) : BulkValue(file, route.BulkDataPath!);
                }
                catch (FrameLocationException ex)
                {
                    if (await auditor.RetrieveAsync(request, AuditOutcome.MinorFailure, entry.Record.StudyKey, entry.Record.InstanceKey, entry.Record.PatientPseudonym, null, operation, ex.Code).ConfigureAwait(false))
                    {
                        var status = ex.Code == "frames-unlocatable" ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound;
                        await ClinicalResponses.ErrorAsync(context, status, ex.Code, ex.Message).ConfigureAwait(false);
                    }
                    else
                    {
                        await ClinicalRetrieve.AuditUnavailableAsync(request).ConfigureAwait(false);
                    }

                    return;
                }

                var transferSyntax = file.TransferSyntax.Uid;
                var offer = mediaType == "application/octet-stream"
                    ? DicomWebRepresentation.MultipartOctetStream
                    : new DicomWebRepresentation("multipart/related", mediaType, transferSyntax);
                if (DicomWebNegotiation.Negotiate(context.Request.Headers.Accept, [offer], (_, ts) => ts == transferSyntax || (offer == DicomWebRepresentation.MultipartOctetStream && UncompressedLittleEndian.Contains(ts) && UncompressedLittleEndian.Contains(transferSyntax))) is null)
                {
                    await auditor.RefusedAsync(request, operation, "not-acceptable").ConfigureAwait(false);
                    await ClinicalResponses.ErrorAsync(context, StatusCodes.Status406NotAcceptable, "not-acceptable",
                        $"These bytes are served as stored: multipart/related; type=\"{mediaType}\"; transfer-syntax={transferSyntax} (the archive does not transcode).").ConfigureAwait(false);
                    return;
                }

                var bytes = parts.Sum(p => p.Sum(piece => piece.Length));
                if (!await auditor.RetrieveAsync(request, AuditOutcome.Success, entry.Record.StudyKey, entry.Record.InstanceKey, entry.Record.PatientPseudonym, bytes, operation, string.Create(CultureInfo.InvariantCulture, $"parts={parts.Count}")).ConfigureAwait(false))
                {
                    await ClinicalRetrieve.AuditUnavailableAsync(request).ConfigureAwait(false);
                    return;
                }

                var multipart = new MultipartRelatedWriter(context.Response.Body);
                ClinicalRetrieve.PrepareStreaming(context, multipart.ContentType(mediaType));
                var partType = mediaType == "application/octet-stream" ? mediaType : mediaType + "; transfer-syntax=" + transferSyntax;
                foreach (var pieces in parts)
                {
                    await multipart.WritePartAsync(partType, async (body, ct) =>
                    {
                        foreach (var piece in pieces)
                        {
                            await WritePieceAsync(body, instance, piece, ct).ConfigureAwait(false);
                        }
                    }, request.Aborted).ConfigureAwait(false);
                }

                await multipart.CompleteAsync(request.Aborted).ConfigureAwait(false);
            }
        }
    }

    private static (List<IReadOnlyList<FramePiece>> Parts, string MediaType) Frames(DicomFile file, IReadOnlyList<int> numbers)
    {
        var layout = FrameLayout.Of(file);
        var parts = numbers.Select(layout.Frame).ToList();
        return (parts, layout.IsEncapsulated ? ClinicalMediaTypes.ForTransferSyntax(file.TransferSyntax.Uid) : "application/octet-stream");
    }

    private static (List<IReadOnlyList<FramePiece>> Parts, string MediaType) BulkValue(DicomFile file, DicomElementPath path)
    {
        switch (path.Resolve(file.Dataset))
        {
            case DicomFragmentSequence:
                // Encapsulated pixel data: every frame, each a part in its stored encoding.
                var layout = FrameLayout.Of(file);
                return (Enumerable.Range(1, layout.NumberOfFrames).Select(layout.Frame).ToList(), ClinicalMediaTypes.ForTransferSyntax(file.TransferSyntax.Uid));
            case DicomValueElement { IsBulk: true } bulk:
                var offset = bulk.BulkData!.SourceStreamOffset
                    ?? throw new FrameLocationException("frames-unlocatable", "This value is byte-swapped on read (big endian) and is not served by range.");
                return ([[new FramePiece(offset, bulk.Length)]], "application/octet-stream");
            case DicomValueElement inline:
                return ([[new FramePiece(0, inline.Length, inline.Bytes)]], "application/octet-stream");
            default:
                throw new FrameLocationException("no-bulk-data", "The instance has no such bulk data value.");
        }
    }

    private async Task WritePieceAsync(Stream body, ArchivedInstance instance, FramePiece piece, CancellationToken cancellationToken)
    {
        if (piece.Inline is { } inline)
        {
            await body.WriteAsync(inline, cancellationToken).ConfigureAwait(false);
            return;
        }

        var range = await archive.Reader.OpenRangeAsync(instance, piece.Offset, piece.Length, cancellationToken).ConfigureAwait(false);
        await using (range.ConfigureAwait(false))
        {
            await range.CopyToAsync(body, CopyBuffer, cancellationToken).ConfigureAwait(false);
        }
    }
}
