using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs.Models;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// Builds the JSON Event Grid sends for a <c>Microsoft.Storage.BlobCreated</c> event (Event Grid schema,
/// one event, as Event Grid's storage-queue delivery writes it), so the local loop exercises exactly the
/// parser the cloud path uses.
/// </summary>
public static class BlobCreatedEventFactory
{
    /// <summary>The event type.</summary>
    public const string EventType = "Microsoft.Storage.BlobCreated";

    /// <summary>
    /// A <c>topic</c> for events of the account behind <paramref name="blobServiceUri"/> (path-style on Azurite, the
    /// host's first label otherwise). Event Grid's topic is the account's resource id; nothing in the archive reads it.
    /// </summary>
    public static string AccountResourceId(Uri blobServiceUri)
    {
        ArgumentNullException.ThrowIfNull(blobServiceUri);
        var account = blobServiceUri.AbsolutePath.Trim('/') is { Length: > 0 } path ? path : blobServiceUri.Host.Split('.')[0];
        return $"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Storage/storageAccounts/{account}";
    }

    /// <summary>Writes the event for one listed blob.</summary>
    /// <param name="containerUri">The container's URI (path-style on Azurite).</param>
    /// <param name="accountResourceId">The <c>topic</c>: the storage account's resource id.</param>
    /// <param name="containerName">The container name.</param>
    /// <param name="blob">The listed blob.</param>
    /// <param name="now">Event time.</param>
    public static string Create(Uri containerUri, string accountResourceId, string containerName, BlobItem blob, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return Create(containerUri, accountResourceId, containerName, blob.Name, blob.Properties.ETag?.ToString(), blob.Properties.ContentLength ?? 0, blob.Properties.ContentType, blob.Properties.LastModified, now);
    }

    /// <summary>Writes the event for one blob described by its name and properties (reconcile re-enqueues from its own listing).</summary>
    /// <param name="containerUri">The container's URI (path-style on Azurite).</param>
    /// <param name="accountResourceId">The <c>topic</c>: the storage account's resource id.</param>
    /// <param name="containerName">The container name.</param>
    /// <param name="blobName">The blob name.</param>
    /// <param name="etag">The blob version's ETag.</param>
    /// <param name="contentLength">Its length.</param>
    /// <param name="contentType">Its content type, if any.</param>
    /// <param name="lastModified">When it was written (orders the sequencer).</param>
    /// <param name="now">Event time.</param>
    public static string Create(Uri containerUri, string accountResourceId, string containerName, string blobName, string? etag, long contentLength, string? contentType, DateTimeOffset? lastModified, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(containerUri);
        ArgumentNullException.ThrowIfNull(blobName);
        var blobUrl = containerUri.AbsoluteUri.TrimEnd('/') + "/" + string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("topic", accountResourceId);
            json.WriteString("subject", $"/blobServices/default/containers/{containerName}/blobs/{blobName}");
            json.WriteString("eventType", EventType);
            json.WriteString("id", Guid.NewGuid().ToString("D"));
            json.WriteStartObject("data");
            json.WriteString("api", "PutBlob");
            json.WriteString("clientRequestId", Guid.NewGuid().ToString("D"));
            json.WriteString("requestId", Guid.NewGuid().ToString("D"));
            json.WriteString("eTag", etag?.Trim('"') ?? string.Empty);
            json.WriteString("contentType", contentType ?? "application/octet-stream");
            json.WriteNumber("contentLength", contentLength);
            json.WriteString("blobType", "BlockBlob");
            json.WriteString("url", blobUrl);
            // Event Grid's sequencer is an opaque, lexically ordered string per blob; last-modified ticks give that order.
            json.WriteString("sequencer", (lastModified ?? now).UtcTicks.ToString("D32", CultureInfo.InvariantCulture));
            json.WriteStartObject("storageDiagnostics");
            json.WriteString("batchId", Guid.NewGuid().ToString("D"));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("dataVersion", string.Empty);
            json.WriteString("metadataVersion", "1");
            json.WriteString("eventTime", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
