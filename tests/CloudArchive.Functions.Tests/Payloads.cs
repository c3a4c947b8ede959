using System.Text;
using System.Text.Json.Nodes;

namespace CloudArchive.Functions.Tests;

/// <summary>
/// Queue message texts as they reach the function: the BlobCreated events Event Grid writes to the ingest queue
/// (azure-facts §1.2), as raw JSON or base64 of it (host.json <c>messageEncoding: none</c> hands over the text as stored).
/// </summary>
internal static class Payloads
{
    public const string EventId = "831e1650-001e-001b-66ab-eeb76e069631";

    public static string EventGridEvent(string container = "incoming", string blob = "dir/ct 1.dcm", string? urlOverride = null, string eventType = "Microsoft.Storage.BlobCreated", string eventId = EventId) =>
        new JsonObject
        {
            ["topic"] = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
            ["subject"] = $"/blobServices/default/containers/{container}/blobs/{blob}",
            ["eventType"] = eventType,
            ["eventTime"] = "2026-11-22T10:15:30.1234567Z",
            ["id"] = eventId,
            ["data"] = new JsonObject
            {
                ["api"] = "PutBlockList",
                ["clientRequestId"] = "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
                ["requestId"] = "831e1650-001e-001b-66ab-eeb76e000000",
                ["eTag"] = "\"0x8D4BCC2E4835CD0\"",
                ["contentType"] = "application/dicom",
                ["contentLength"] = 524288,
                ["blobType"] = "BlockBlob",
                ["url"] = urlOverride ?? $"https://acct.blob.core.windows.net/{container}/{string.Join('/', blob.Split('/').Select(Uri.EscapeDataString))}",
                ["sequencer"] = "00000000000004420000000000028963",
            },
            ["dataVersion"] = "",
            ["metadataVersion"] = "1",
        }.ToJsonString();

    public static string CloudEvent(string blob = "a.dcm") =>
        new JsonObject
        {
            ["specversion"] = "1.0",
            ["type"] = "Microsoft.Storage.BlobCreated",
            ["source"] = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
            ["subject"] = $"/blobServices/default/containers/incoming/blobs/{blob}",
            ["id"] = "ce-1",
            ["time"] = "2026-11-22T10:15:30Z",
            ["data"] = new JsonObject { ["url"] = $"http://127.0.0.1:10000/devstoreaccount1/incoming/{blob}", ["contentLength"] = 10 },
        }.ToJsonString();

    /// <summary>Base64 of the UTF-8 text: how Event Grid and the Azure SDKs' default encoding store a queue message.</summary>
    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
