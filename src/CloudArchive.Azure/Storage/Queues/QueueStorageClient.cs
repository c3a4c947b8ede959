namespace CloudArchive.Azure.Storage.Queues;

/// <summary>The queue service of one account. Thread-safe.</summary>
public sealed class QueueStorageClient
{
    private readonly StorageConnection _connection;

    internal QueueStorageClient(StorageConnection connection) => _connection = connection;

    /// <summary>The connection (pipeline, options) this client uses.</summary>
    public StorageConnection Connection => _connection;

    /// <summary>A client for one queue (no request is made).</summary>
    public QueueClient GetQueue(string queueName) => new(_connection, queueName);
}
