using System.Globalization;
using System.Text;
using Azure.Core;
using CloudArchive.Azure.Storage.Http;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// Writes the <c>multipart/mixed</c> body of a Blob Batch of deletes. Each sub-request is built as a real
/// <see cref="Request"/> and authenticated by the connection's own auth policy, then serialized with exactly the
/// headers that were signed, so Shared Key canonicalization lives in one place.
/// </summary>
internal static class BlobBatchRequestBuilder
{
    /// <summary>The service's limit of sub-requests per batch.</summary>
    public const int MaxSubRequests = 256;

    private const string CrLf = "\r\n";

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for a delete that could never be sent: an invalid name, or a condition
    /// with a line break (which would end the sub-request early and smuggle the rest in as headers).
    /// </summary>
    public static void Validate(BlobBatchDelete item)
    {
        ArgumentNullException.ThrowIfNull(item);
        BlobNames.ValidateBlobName(item.BlobName);
        if (item.Conditions is { } conditions
            && (HasLineBreak(conditions.IfMatch?.ToString("H")) || HasLineBreak(conditions.IfNoneMatch?.ToString("H"))
                || HasLineBreak(conditions.LeaseId) || HasLineBreak(conditions.IfTags)))
        {
            throw new ArgumentException("A batch delete's conditions must not contain line breaks.", nameof(item));
        }
    }

    /// <summary>
    /// Builds the body and its <c>Content-Type</c> (with a fresh boundary) for deletes in one container. The items were
    /// checked with <see cref="Validate"/> by the caller.
    /// </summary>
    public static async ValueTask<(byte[] Body, string ContentType)> BuildDeletesAsync(StorageConnection connection, Uri containerUri, IReadOnlyList<BlobBatchDelete> items)
    {
        var boundary = "batch_" + Guid.NewGuid().ToString("D");
        var date = StorageHttp.Rfc1123(DateTimeOffset.UtcNow);
        var sb = new StringBuilder(items.Count * 512);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            using var message = connection.Pipeline.CreateMessage();
            var request = message.Request;
            request.Method = RequestMethod.Delete;
            request.Uri.Reset(StorageHttp.Child(containerUri, StorageHttp.EscapePath(item.BlobName)));

            // The outer request's pipeline policies do not run for sub-requests, so version and date are set here.
            request.Headers.SetValue("x-ms-version", StorageApi.Version);
            request.Headers.SetValue("x-ms-date", date);
            if (item.IncludeSnapshots)
            {
                request.Headers.SetValue("x-ms-delete-snapshots", "include");
            }

            BlobRequestConditions.Apply(item.Conditions, request);
            await connection.AuthenticateDetachedRequestAsync(message).ConfigureAwait(false);

            sb.Append("--").Append(boundary).Append(CrLf);
            sb.Append("Content-Type: application/http").Append(CrLf);
            sb.Append("Content-Transfer-Encoding: binary").Append(CrLf);
            sb.Append("Content-ID: ").Append(i.ToString(CultureInfo.InvariantCulture)).Append(CrLf);
            sb.Append(CrLf);
            sb.Append("DELETE ").Append(request.Uri.ToUri().PathAndQuery).Append(" HTTP/1.1").Append(CrLf);
            foreach (var header in request.Headers)
            {
                // Validate checked the caller's values; this also covers what the auth policy added.
                if (HasLineBreak(header.Value))
                {
                    throw new ArgumentException($"Header {header.Name} of a batch sub-request contains a line break.", nameof(items));
                }

                sb.Append(header.Name).Append(": ").Append(header.Value).Append(CrLf);
            }

            sb.Append("Content-Length: 0").Append(CrLf);
            sb.Append(CrLf);
        }

        sb.Append("--").Append(boundary).Append("--").Append(CrLf);
        return (Encoding.UTF8.GetBytes(sb.ToString()), "multipart/mixed; boundary=" + boundary);
    }

    private static bool HasLineBreak(string? value) => value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0;
}
