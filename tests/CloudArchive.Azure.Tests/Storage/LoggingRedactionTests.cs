using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure;
using Azure.Core.Diagnostics;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage;

/// <summary>
/// The SDK writes every request and response to its event source, which hosts forward to their logs. Our logging
/// allow-lists (StorageOptions) must keep credentials and caller data out of it even at the most verbose level.
/// </summary>
public sealed class LoggingRedactionTests(AzuriteFixture azurite)
{
    private const string MetadataValue = "metadata-value-do-not-log";
    private const string TrailingValue = "trailing-value-do-not-log";
    private const string TagValue = "tag-value-do-not-log";
    private const string MessageText = "message-text-do-not-log";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Verbose_sdk_logs_never_contain_the_authorization_value_the_sas_signature_metadata_or_tag_values()
    {
        var logs = new ConcurrentQueue<string>();
        using var listener = new AzureEventSourceListener((_, message) => logs.Enqueue(message), EventLevel.Verbose);
        var sent = new RequestRecordingPolicy();
        var sharedKey = azurite.CreateConnection(new StorageOptions { BlockSizeBytes = 64 * 1024, SingleUploadThresholdBytes = 64 * 1024, ConfigureClient = sent.AddTo });
        var container = await azurite.CreateContainerAsync("logs", sharedKey, Ct);

        // Shared Key: a one-request write and a staged write, both with metadata and tags, then reads that return them.
        foreach (var (name, size) in new[] { ("patient-free-name", 1_000L), ("patient-free-staged", 200_000L) })
        {
            var blob = container.GetBlockBlobClient(name);
            await BlockUpload.UploadAsync(blob, new GeneratedStream(size), new BlockUploadOptions
            {
                Metadata = new Dictionary<string, string> { ["wrapped"] = MetadataValue },
                TrailingMetadata = () => new Dictionary<string, string> { ["mac"] = TrailingValue },
                Tags = new Dictionary<string, string> { ["ca_patient"] = TagValue },
            }, sharedKey.Options, Ct);
            await blob.GetPropertiesAsync(cancellationToken: Ct);
            await blob.GetTagsAsync(cancellationToken: Ct);
            using var download = (await blob.DownloadStreamingAsync(cancellationToken: Ct)).Value;
        }

        var queue = await azurite.CreateQueueAsync("logs", sharedKey, Ct);
        await queue.SendMessageAsync(MessageText, Ct);
        var received = Assert.Single((await queue.ReceiveMessagesAsync(cancellationToken: Ct)).Value);
        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, Ct);

        // SAS: the signature rides in every request's query string.
        var sas = AccountSas.Create(azurite.Azurite.AccountName, azurite.Azurite.AccountKey, DateTimeOffset.UtcNow.AddHours(1));
        var signature = sas[(sas.IndexOf("sig=", StringComparison.Ordinal) + 4)..];
        var viaSas = StorageConnection.FromConnectionString($"BlobEndpoint={azurite.Azurite.BlobServiceUri};SharedAccessSignature={sas}", new StorageOptions { ConfigureClient = sent.AddTo });
        var sasBlob = viaSas.Blobs.GetBlobContainerClient(container.Name).GetBlobClient("patient-free-name");
        await sasBlob.GetPropertiesAsync(cancellationToken: Ct);
        await sasBlob.SetMetadataAsync(new Dictionary<string, string> { ["wrapped"] = MetadataValue }, new global::Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = ETag.All }, Ct);

        var all = string.Join("\n", logs);
        var authorizations = sent.Requests.Select(r => r.Header("Authorization")).OfType<string>().Distinct().ToList();
        Assert.True(authorizations.Count > 10, "the Shared Key requests were signed and recorded");
        Assert.Contains(sent.Requests, r => r.Uri.Query.Contains("sig=", StringComparison.Ordinal));

        // The listener saw these very requests: names are logged (they must be PHI-free, docs/architecture.md §2).
        Assert.Contains("patient-free-staged", all, StringComparison.Ordinal);
        Assert.Contains("x-ms-version:" + StorageOptions.DefaultServiceVersion, all.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("REDACTED", all, StringComparison.Ordinal);

        foreach (var authorization in authorizations)
        {
            Assert.DoesNotContain(authorization, all, StringComparison.Ordinal);
            Assert.DoesNotContain(authorization[(authorization.IndexOf(':', StringComparison.Ordinal) + 1)..], all, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("SharedKey " + StorageApi.DevelopmentAccountName + ":", all, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.UnescapeDataString(signature), all, StringComparison.Ordinal);
        Assert.DoesNotContain(MetadataValue, all, StringComparison.Ordinal);
        Assert.DoesNotContain(TrailingValue, all, StringComparison.Ordinal);
        Assert.DoesNotContain(TagValue, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(TagValue), all, StringComparison.Ordinal);
        Assert.DoesNotContain(MessageText, all, StringComparison.Ordinal);
        Assert.DoesNotContain(received.PopReceipt, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(received.PopReceipt), all, StringComparison.Ordinal);
    }
}
