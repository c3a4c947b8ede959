using System.Globalization;
using System.IO.Compression;
using CloudArchive.Core.Audit;
using CloudArchive.Research.Publication;
using Microsoft.AspNetCore.Http.Features;

namespace CloudArchive.Functions.Research;

/// <summary>
/// The researcher API's downloads: one instance as <c>application/dicom</c>, a whole study as a streamed
/// <c>application/zip</c>. Each is audited before its first byte is sent.
/// </summary>
internal sealed class ResearchDownloads(IResearchStore store, ResearchCatalog catalog, ResearchApiAudit audit, ILogger logger)
{
    /// <summary>Streams one instance, or answers 404.</summary>
    public async Task RetrieveInstanceAsync(ResearchAccess access, ResearchRoute route)
    {
        var context = access.Context;
        var name = ResearchNames.Instance(access.Agreement.Id, route.StudyUid!, route.SeriesUid!, route.InstanceUid!);
        var blob = await store.OpenReadAsync(name, context.RequestAborted).ConfigureAwait(false);
        if (blob is null)
        {
            await audit.NotFoundAsync(access, "fetch-instance").ConfigureAwait(false);
            return;
        }

        await using (blob.ConfigureAwait(false))
        {
            if (!await audit.AllowedAsync(access, AuditOutcome.Success, blob.Length, "fetch-instance").ConfigureAwait(false))
            {
                return;
            }

            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/dicom";
            response.ContentLength = blob.Length;
            response.Headers.ContentDisposition = $"attachment; filename=\"{route.InstanceUid}.dcm\"";
            ResearchApiResponse.NoStore(response);
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await blob.Content.CopyToAsync(response.Body, 128 * 1024, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Streams a study as a ZIP archive (one entry per instance, <c>{series}/{instance}.dcm</c>), or answers 404.</summary>
    public async Task RetrieveStudyZipAsync(ResearchAccess access, string studyUid)
    {
        var context = access.Context;
        var instances = (await catalog.ListInstancesAsync(ResearchNames.StudyPrefix(access.Agreement.Id, studyUid), context.RequestAborted).ConfigureAwait(false))
            .OrderBy(i => i.Name.SeriesUid, StringComparer.Ordinal)
            .ThenBy(i => i.Name.InstanceUid, StringComparer.Ordinal)
            .ToList();
        if (instances.Count == 0)
        {
            await audit.NotFoundAsync(access, "fetch-study-zip").ConfigureAwait(false);
            return;
        }

        // The audited byte count is the DICOM content the archive is about to release (the ZIP framing adds a little).
        var bytes = instances.Sum(i => i.Length);
        if (!await audit.AllowedAsync(access, AuditOutcome.Success, bytes, "fetch-study-zip", string.Create(CultureInfo.InvariantCulture, $"instances={instances.Count}")).ConfigureAwait(false))
        {
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/zip";
        response.Headers.ContentDisposition = $"attachment; filename=\"{studyUid}.zip\"";
        ResearchApiResponse.NoStore(response);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Create mode writes entries with data descriptors, so the archive streams to the (non-seekable) response body as
        // it is produced: memory stays at one copy buffer whatever the study size. No compression: most DICOM pixel data
        // is already compressed or compresses poorly, and CPU on a Functions instance is better spent on throughput.
        var body = new DeferredSyncWriteStream(response.Body);
        var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, context.RequestAborted).ConfigureAwait(false);
        await using (zip.ConfigureAwait(false))
        {
            try
            {
                var skipped = await WriteEntriesAsync(zip, instances, context.RequestAborted).ConfigureAwait(false);
                if (skipped > 0)
                {
                    logger.LogWarning("ResearchApi {CorrelationId}: {Skipped} instance(s) disappeared while the study archive was written.", access.State.CorrelationId, skipped);
                }
            }
            catch
            {
                body.Abandon();
                throw;
            }
        }

        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        await body.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Copies each instance into its entry; returns how many had disappeared since the listing.</summary>
    private async Task<int> WriteEntriesAsync(ZipArchive zip, List<(ResearchInstanceName Name, long Length)> instances, CancellationToken cancellationToken)
    {
        var skipped = 0;
        foreach (var (name, _) in instances)
        {
            var blob = await store.OpenReadAsync(ResearchNames.Instance(name.AgreementId, name.StudyUid, name.SeriesUid, name.InstanceUid), cancellationToken).ConfigureAwait(false);
            if (blob is null)
            {
                // Removed since the listing (e.g. a consent revocation was applied): it must not be released.
                skipped++;
                continue;
            }

            await using (blob.ConfigureAwait(false))
            {
                var entry = zip.CreateEntry($"{name.SeriesUid}/{name.InstanceUid}.dcm", CompressionLevel.NoCompression);
                var target = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (target.ConfigureAwait(false))
                {
                    await blob.Content.CopyToAsync(target, 128 * 1024, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return skipped;
    }
}
