using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CloudArchive.Azure.Storage;
using Xunit;

namespace CloudArchive.Testing.Azurite;

/// <summary>
/// xunit v3 fixture owning one <see cref="AzuriteProcess"/>. Use it as an assembly fixture
/// (<c>[assembly: AssemblyFixture(typeof(AzuriteFixture))]</c>) so a test assembly starts Azurite once;
/// tests isolate themselves with unique container and queue names. Azurite stops when the fixture is
/// disposed, including after failed tests.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private StorageConnection? _connection;

    /// <summary>The running Azurite.</summary>
    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("The Azurite fixture is not initialised.");

    /// <summary>A SharedKey connection string to this Azurite.</summary>
    public string ConnectionString => Azurite.ConnectionString;

    /// <summary>A shared connection with default options.</summary>
    public StorageConnection Connection => _connection ??= Azurite.CreateConnection();

    /// <summary>A new connection with the given options (e.g. a small block size).</summary>
    public StorageConnection CreateConnection(StorageOptions? options = null) => Azurite.CreateConnection(options);

    /// <summary>A name valid for a container or queue, unique per call: <c>{prefix}-{random}</c>.</summary>
    public static string UniqueName(string prefix = "t")
    {
        var clean = new string(prefix.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray()).Trim('-');
        if (clean.Length == 0)
        {
            clean = "t";
        }

        if (clean.Length > 30)
        {
            clean = clean[..30].TrimEnd('-');
        }

        return $"{clean}-{Guid.NewGuid():N}"[..Math.Min(63, clean.Length + 33)];
    }

    /// <summary>Creates a container with a unique name and returns its client.</summary>
    public async Task<BlobContainerClient> CreateContainerAsync(string prefix = "c", StorageConnection? connection = null, CancellationToken cancellationToken = default)
    {
        var container = (connection ?? Connection).Blobs.GetBlobContainerClient(UniqueName(prefix));
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return container;
    }

    /// <summary>Creates a queue with a unique name and returns its client.</summary>
    public async Task<QueueClient> CreateQueueAsync(string prefix = "q", StorageConnection? connection = null, CancellationToken cancellationToken = default)
    {
        var queue = (connection ?? Connection).Queues.GetQueueClient(UniqueName(prefix));
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return queue;
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _azurite = await AzuriteProcess.StartAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _azurite?.Dispose();
        return ValueTask.CompletedTask;
    }
}
