using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Composition;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Core.Keys;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudArchive.Azure.Tests.Ingest.Quarantine;

/// <summary>
/// An archive composed by the composition root over Azurite (containers of its own, local KEK, shipped policies), for
/// the quarantine's tests: the ingest, the quarantine writer, lifecycle and operations exactly as the app builds them.
/// </summary>
internal sealed class QuarantineArchive : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _keyDirectory;
    private readonly string _connectionString;

    private QuarantineArchive(string connectionString, ServiceProvider services, ArchiveContainerNames containers, string keyDirectory)
    {
        _connectionString = connectionString;
        _services = services;
        Containers = containers;
        _keyDirectory = keyDirectory;
    }

    public static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ArchiveContainerNames Containers { get; }

    public IngestService Ingest => _services.GetRequiredService<IngestService>();

    public Keyring Keyring => _services.GetRequiredService<Keyring>();

    public QuarantineWriter Writer => _services.GetRequiredService<QuarantineWriter>();

    public IQuarantineLifecycle Lifecycle => _services.GetRequiredService<IQuarantineLifecycle>();

    public QuarantineOperations Operations => _services.GetRequiredService<QuarantineOperations>();

    public IQuarantineStore Store => _services.GetRequiredService<IQuarantineStore>();

    public IArchiveStore ArchiveStore => _services.GetRequiredService<IArchiveStore>();

    public BlobContainerClient Incoming => Container(Containers.Incoming);

    public BlobContainerClient Quarantine => Container(Containers.Quarantine);

    public BlobContainerClient Archive => Container(Containers.Archive);

    public static async Task<QuarantineArchive> CreateAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string>? extra = null)
    {
        var keyDirectory = TestArchiveSettings.NewKeyDirectory();
        var values = TestArchiveSettings.For(azurite.ConnectionString, keyDirectory);
        foreach (var role in ArchiveContainerNames.Roles)
        {
            values[$"{ArchiveContainerNames.Section}:{role}"] = AzuriteFixture.UniqueName("q-" + role);
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        var settings = services.AddCloudArchive(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), CloudArchiveHost.Cli(RepositoryPaths.FindRoot()));
        var archive = new QuarantineArchive(azurite.ConnectionString, services.BuildServiceProvider(), settings.Containers, keyDirectory);
        foreach (var name in settings.Containers.All)
        {
            await archive.Container(name).CreateIfNotExistsAsync(cancellationToken: Ct);
        }

        return archive;
    }

    public BlobContainerClient Container(string name) => new(_connectionString, name, new BlobClientOptions(Interop.InteropArchive.Version));

    /// <summary>Uploads <paramref name="content"/> to <c>incoming</c> as <paramref name="name"/> and ingests it as the function does.</summary>
    public async Task<IngestResult> UploadAndIngestAsync(string name, byte[] content)
    {
        await Incoming.UploadBlobAsync(name, BinaryData.FromBytes(content), Ct);
        return await IngestAsync(name);
    }

    public Task<IngestResult> IngestAsync(string name) => Ingest.IngestAsync(
        new IngestRequest { Container = Containers.Incoming, BlobName = name, EventId = Guid.NewGuid().ToString(), CorrelationId = Guid.NewGuid().ToString() },
        Ct);

    /// <summary>Every blob name in a container.</summary>
    public async Task<List<string>> NamesAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, Ct))
        {
            names.Add(item.Name);
        }

        return names;
    }

    /// <summary>The decrypted copy of a quarantined upload, read with the archive's own decryptor.</summary>
    public async Task<byte[]> DecryptCopyAsync(string id)
    {
        var copy = await Store.OpenCopyAsync(id, Ct) ?? throw new InvalidOperationException("No copy.");
        await using (copy)
        {
            await using var plain = await new EnvelopeDecryptor(Keyring.QuarantineKeyResolver).OpenReadAsync(copy.Content, copy.Metadata, QuarantineNames.Copy(id), copy.Length, leaveOpen: true, cancellationToken: Ct);
            var output = new MemoryStream();
            await plain.CopyToAsync(output, Ct);
            return output.ToArray();
        }
    }

    /// <summary>Every audit line written so far.</summary>
    public async Task<List<AuditEvent>> AuditAsync()
    {
        var events = new List<AuditEvent>();
        await foreach (var entry in new AuditLogQuery(new BlobAuditLogStore(Container(Containers.Audit))).QueryAsync(new AuditQueryFilter(), Ct))
        {
            events.Add(entry.Record.Event);
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in Containers.All)
        {
            await Container(name).DeleteIfExistsAsync();
        }

        await _services.DisposeAsync();
        TestArchiveSettings.DeleteDirectory(_keyDirectory);
    }
}
