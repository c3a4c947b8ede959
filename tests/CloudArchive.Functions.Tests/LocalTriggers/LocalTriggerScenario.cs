using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CloudArchive.Azure.Storage;
using CloudArchive.Testing.Azurite;

namespace CloudArchive.Functions.Tests.LocalTriggers;

/// <summary>Per-test names (incoming container, queues, scan state container) so tests never see each other's events.</summary>
internal sealed class LocalTriggerScenario
{
    public LocalTriggerScenario(AzuriteFixture azurite)
    {
        ConnectionString = azurite.ConnectionString;
        Connection = azurite.Connection;
        Incoming = AzuriteFixture.UniqueName("in");
        Queue = AzuriteFixture.UniqueName("ev");
        ExportQueue = AzuriteFixture.UniqueName("ex");
        StateContainer = AzuriteFixture.UniqueName("st");
    }

    public string ConnectionString { get; }

    public StorageConnection Connection { get; }

    public string Incoming { get; }

    public string Queue { get; }

    /// <summary>The export function's queue: the local host listens to it too, so each scenario has its own.</summary>
    public string ExportQueue { get; }

    public string StateContainer { get; }

    public QueueClient IngestQueue => Connection.Queues.GetQueueClient(Queue);

    public QueueClient PoisonQueue => Connection.Queues.GetQueueClient(Queue + "-poison");

    /// <summary>Peeks the poison queue; empty while the listener has not created it yet.</summary>
    public async Task<IReadOnlyList<PeekedMessage>> PeekPoisonAsync(int max = 32)
    {
        try
        {
            return (await PoisonQueue.PeekMessagesAsync(max, Xunit.TestContext.Current.CancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }
    }

    /// <summary>Writes an upload; a later upload under the same name replaces the earlier one, as a gateway's would.</summary>
    public async Task<BlobContentInfo> UploadAsync(string name, byte[] content)
    {
        var container = Connection.Blobs.GetBlobContainerClient(Incoming);
        await container.CreateIfNotExistsAsync(cancellationToken: Xunit.TestContext.Current.CancellationToken);
        return await container.GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true, Xunit.TestContext.Current.CancellationToken);
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(100, Xunit.TestContext.Current.CancellationToken);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);
}
