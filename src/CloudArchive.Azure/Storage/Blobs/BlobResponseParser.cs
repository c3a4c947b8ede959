using System.Globalization;
using Azure;
using CloudArchive.Azure.Storage.Http;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>Reads blob properties from response headers.</summary>
internal static class BlobResponseParser
{
    public static BlobProperties Properties(Response response)
    {
        var total = TotalLength(response) ?? StorageHttp.LongHeader(response, "Content-Length") ?? 0;
        BlobImmutabilityPolicy? policy = null;
        if (StorageHttp.DateHeader(response, "x-ms-immutability-policy-until-date") is { } until)
        {
            var mode = string.Equals(StorageHttp.Header(response, "x-ms-immutability-policy-mode"), "locked", StringComparison.OrdinalIgnoreCase)
                ? BlobImmutabilityMode.Locked
                : BlobImmutabilityMode.Unlocked;
            policy = new BlobImmutabilityPolicy(until, mode);
        }

        return new BlobProperties
        {
            ContentLength = total,
            ContentType = StorageHttp.Header(response, "Content-Type"),
            ContentMD5 = StorageHttp.Header(response, "Content-MD5") ?? StorageHttp.Header(response, "x-ms-blob-content-md5"),
            ETag = StorageHttp.ETagHeader(response) ?? default,
            LastModified = StorageHttp.DateHeader(response, "Last-Modified"),
            CreatedOn = StorageHttp.DateHeader(response, "x-ms-creation-time"),
            BlobType = ParseBlobType(StorageHttp.Header(response, "x-ms-blob-type")),
            Metadata = StorageHttp.MetadataHeaders(response),
            TagCount = (int)(StorageHttp.LongHeader(response, "x-ms-tag-count") ?? 0),
            LeaseState = StorageHttp.Header(response, "x-ms-lease-state"),
            LeaseStatus = StorageHttp.Header(response, "x-ms-lease-status"),
            VersionId = StorageHttp.Header(response, "x-ms-version-id"),
            CommittedBlockCount = StorageHttp.LongHeader(response, "x-ms-blob-committed-block-count") is { } c ? (int)c : null,
            ImmutabilityPolicy = policy,
            LegalHold = string.Equals(StorageHttp.Header(response, "x-ms-legal-hold"), "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    public static BlobWriteResult WriteResult(Response response, bool contentHashed = false) =>
        new(StorageHttp.ETagHeader(response) ?? default, StorageHttp.DateHeader(response, "Last-Modified"), StorageHttp.Header(response, "x-ms-version-id"), contentHashed ? StorageHttp.Header(response, "Content-MD5") : null);

    /// <summary>The total from <c>Content-Range: bytes s-e/total</c>.</summary>
    public static long? TotalLength(Response response)
    {
        var range = StorageHttp.Header(response, "Content-Range");
        var slash = range?.LastIndexOf('/') ?? -1;
        return slash >= 0 && long.TryParse(range![(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var total) ? total : null;
    }

    public static BlobType ParseBlobType(string? value) => value switch
    {
        "BlockBlob" => BlobType.Block,
        "AppendBlob" => BlobType.Append,
        "PageBlob" => BlobType.Page,
        _ => BlobType.Unknown,
    };
}
