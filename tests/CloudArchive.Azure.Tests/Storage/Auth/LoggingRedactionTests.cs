using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Auth;

public sealed class LoggingRedactionTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Azure_core_logs_never_contain_the_authorization_header_sas_signature_metadata_or_tags()
    {
        var logs = new ConcurrentQueue<string>();
        using var listener = new AzureEventSourceListener((_, message) => logs.Enqueue(message), EventLevel.Verbose);

        var container = await azurite.CreateContainerAsync("logs", cancellationToken: Ct);
        await container.GetBlob("patient-free-name").UploadAsync(TestData.Utf8("x"), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["wrapped"] = "metadata-value-do-not-log" },
            Tags = new Dictionary<string, string> { ["ca_patient"] = "tag-value-do-not-log" },
        }, Ct);
        await container.GetBlob("patient-free-name").DownloadAsync(cancellationToken: Ct).ContinueWith(t => t.Result.Dispose(), Ct);

        var sas = AccountSas.Create(azurite.Azurite.AccountName, azurite.Azurite.AccountKey, DateTimeOffset.UtcNow.AddHours(1));
        var signature = sas[(sas.IndexOf("sig=", StringComparison.Ordinal) + 4)..];
        var sasConnection = StorageConnection.FromConnectionString($"BlobEndpoint={azurite.Azurite.BlobServiceUri};SharedAccessSignature={sas}");
        await sasConnection.Blobs.GetContainer(container.Name).GetBlob("patient-free-name").GetPropertiesAsync(cancellationToken: Ct);
        var queue = await azurite.CreateQueueAsync("logs", cancellationToken: Ct);
        await queue.SendAsync("message-text-do-not-log", cancellationToken: Ct);
        var received = Assert.Single(await queue.ReceiveAsync(cancellationToken: Ct));
        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, Ct);

        var all = string.Join("\n", logs);
        Assert.Contains("x-ms-version:2025-05-05", all.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("REDACTED", all, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedKey " + StorageApi.DevelopmentAccountName + ":", all, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.UnescapeDataString(signature), all, StringComparison.Ordinal);
        Assert.DoesNotContain("metadata-value-do-not-log", all, StringComparison.Ordinal);
        Assert.DoesNotContain("tag-value-do-not-log", all, StringComparison.Ordinal);
        Assert.DoesNotContain("message-text-do-not-log", all, StringComparison.Ordinal);
        Assert.DoesNotContain(received.PopReceipt, all, StringComparison.Ordinal);

        // Azure.Core logs the request path, so blob names do appear; they must be PHI-free (docs/architecture.md §2).
        Assert.Contains("patient-free-name", all, StringComparison.Ordinal);
    }
}
