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

    /// <summary>Writes the event for one listed blob.</summary>
    /// <param name="containerUri">The container's URI (path-style on Azurite).</param>
    /// <param name="accountResourceId">The <c>topic</c>: the storage account's resource id.</param>
    /// <param name="containerName">The container name.</param>
    /// <param name="blob">The listed blob.</param>
    /// <param name="now">Event time.</param>
    public static string Create(Uri containerUri, string accountResourceId, string containerName, BlobItem blob, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(containerUri);
        ArgumentNullException.ThrowIfNull(blob);
        var blobUrl = containerUri.AbsoluteUri.TrimEnd('/') + "/" + string.Join('/', blob.Name.Split('/').Select(Uri.EscapeDataString));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("topic", accountResourceId);
            json.WriteString("subject", $"/blobServices/default/containers/{containerName}/blobs/{blob.Name}");
            json.WriteString("eventType", EventType);
            json.WriteString("id", Guid.NewGuid().ToString("D"));
            json.WriteStartObject("data");
            json.WriteString("api", "PutBlob");
            json.WriteString("clientRequestId", Guid.NewGuid().ToString("D"));
            json.WriteString("requestId", Guid.NewGuid().ToString("D"));
            json.WriteString("eTag", blob.Properties.ETag?.ToString().Trim('"') ?? string.Empty);
            json.WriteString("contentType", blob.Properties.ContentType ?? "application/octet-stream");
            json.WriteNumber("contentLength", blob.Properties.ContentLength ?? 0);
            json.WriteString("blobType", "BlockBlob");
            json.WriteString("url", blobUrl);
            // Event Grid's sequencer is an opaque, lexically ordered string per blob; last-modified ticks give that order.
            json.WriteString("sequencer", (blob.Properties.LastModified ?? now).UtcTicks.ToString("D32", CultureInfo.InvariantCulture));
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
