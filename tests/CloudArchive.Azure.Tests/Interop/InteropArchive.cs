using Azure.Core.Cryptography;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Composition;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Azure.Tests.Interop;

/// <summary>
/// An archive composed by the composition root (CLI host, local KEK, shipped policies) over Azurite, with containers of
/// its own, and fed through the real ingest; beside it, the official Azure Storage SDK's clients for the same blobs.
/// Storage is touched only through the SDK and the composed services, never through the hand-written storage client.
/// </summary>
internal sealed class InteropArchive : IAsyncDisposable
{
    /// <summary>
    /// The SDK's default service version is newer than the pinned Azurite accepts; this one both understand.
    /// </summary>
    public const BlobClientOptions.ServiceVersion Version = BlobClientOptions.ServiceVersion.V2025_05_05;

    private readonly string _connectionString;
    private readonly ServiceProvider _services;
    private readonly string _keyDirectory;

    private InteropArchive(string connectionString, ServiceProvider services, ArchiveContainerNames containers, string keyDirectory)
    {
        _connectionString = connectionString;
        _services = services;
        Containers = containers;
        _keyDirectory = keyDirectory;
    }

    public ArchiveContainerNames Containers { get; }

    /// <summary>The composed keyring: its <see cref="Keyring.StudyKeyResolver"/> is what the SDK is given.</summary>
    public Keyring Keyring => _services.GetRequiredService<Keyring>();

    /// <summary>The composed archive store: the read path the exporter uses.</summary>
    public IArchiveStore Store => _services.GetRequiredService<IArchiveStore>();

    public static async Task<InteropArchive> CreateAsync(AzuriteFixture azurite, CancellationToken cancellationToken)
    {
        var keyDirectory = TestArchiveSettings.NewKeyDirectory();
        var values = TestArchiveSettings.For(azurite.ConnectionString, keyDirectory);
        foreach (var role in ArchiveContainerNames.Roles)
        {
            values[$"{ArchiveContainerNames.Section}:{role}"] = AzuriteFixture.UniqueName("interop-" + role);
        }

        var services = new ServiceCollection();
        var settings = services.AddCloudArchive(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), CloudArchiveHost.Cli(RepositoryPaths.FindRoot()));
        var archive = new InteropArchive(azurite.ConnectionString, services.BuildServiceProvider(), settings.Containers, keyDirectory);
        foreach (var name in settings.Containers.All)
        {
            await archive.Container(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        return archive;
    }

    public BlobContainerClient Container(string name) => new(_connectionString, name, new BlobClientOptions(Version));

    /// <summary>An archive blob as stored: ciphertext and metadata, no decryption.</summary>
    public BlobClient RawArchiveBlob(string name) => new(_connectionString, Containers.Archive, name, new BlobClientOptions(Version));

    /// <summary>An archive blob read through the SDK's own client-side encryption (v2), resolving study keys through the keyring.</summary>
    public BlobClient SdkDecryptingArchiveBlob(string name) => new(
        _connectionString,
        Containers.Archive,
        name,
        new SpecializedBlobClientOptions(Version)
        {
            ClientSideEncryption = new ClientSideEncryptionOptions(ClientSideEncryptionVersion.V2_0)
            {
                KeyResolver = Keyring.StudyKeyResolver,
                KeyWrapAlgorithm = "A256KW",
            },
        });

    /// <summary>A client that writes with the SDK's own client-side encryption (v2), wrapping content keys with <paramref name="keyEncryptionKey"/>.</summary>
    public BlobClient SdkEncryptingArchiveBlob(string name, IKeyEncryptionKey keyEncryptionKey) => new(
        _connectionString,
        Containers.Archive,
        name,
        new SpecializedBlobClientOptions(Version)
        {
            ClientSideEncryption = new ClientSideEncryptionOptions(ClientSideEncryptionVersion.V2_0)
            {
                KeyEncryptionKey = keyEncryptionKey,
                KeyWrapAlgorithm = "A256KW",
            },
        });

    /// <summary>
    /// Uploads <paramref name="dicom"/> to <c>incoming</c> with the SDK and ingests it as the queue-triggered function
    /// does for its BlobCreated event; returns the archive blob's name.
    /// </summary>
    public async Task<string> IngestAsync(Stream dicom, CancellationToken cancellationToken)
    {
        var upload = "modality/" + Guid.NewGuid().ToString("N") + ".dcm";
        await Container(Containers.Incoming).UploadBlobAsync(upload, dicom, cancellationToken);
        var result = await _services.GetRequiredService<IngestService>().IngestAsync(
            new IngestRequest
            {
                Container = Containers.Incoming,
                BlobName = upload,
                EventId = Guid.NewGuid().ToString(),
                CorrelationId = Guid.NewGuid().ToString(),
            },
            cancellationToken);
        Assert.Equal(IngestOutcome.Archived, result.Outcome);

        // Names are opaque keys; the instance's blob is the one ending in its instance key.
        await foreach (var item in Container(Containers.Archive).GetBlobsAsync(BlobTraits.None, BlobStates.None, "studies/", cancellationToken))
        {
            if (item.Name.EndsWith("/" + result.InstanceKey + ".dcm.enc", StringComparison.Ordinal))
            {
                return item.Name;
            }
        }

        throw new InvalidOperationException("The ingest reported the instance archived, but no archive blob carries its key.");
    }

    /// <summary>Reads a whole archive blob the way the exporter does: the archive store, then <see cref="EnvelopeDecryptor"/>.</summary>
    public async Task<byte[]> ReadWithCloudArchiveAsync(string name, CancellationToken cancellationToken)
    {
        var read = await Store.OpenReadWithInfoAsync(name, cancellationToken) ?? throw new InvalidOperationException("No such archive blob.");
        await using (read)
        {
            await using var plain = await new EnvelopeDecryptor(Keyring.StudyKeyResolver).OpenReadAsync(read.Content, read.Info.Metadata, name, read.Info.Length, leaveOpen: true, cancellationToken: cancellationToken);
            var output = new MemoryStream();
            await plain.CopyToAsync(output, cancellationToken);
            return output.ToArray();
        }
    }

    /// <summary>Reads plaintext bytes [<paramref name="offset"/>, +<paramref name="length"/>) with one ranged read of the archive store.</summary>
    public async Task<byte[]> ReadRangeWithCloudArchiveAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        var info = await Store.GetInfoAsync(name, cancellationToken) ?? throw new InvalidOperationException("No such archive blob.");
        CiphertextRangeSource source = async (o, l, ct) => (await Store.OpenRangeAsync(name, o, l, ct) ?? throw new InvalidOperationException("The archive blob vanished.")).Content;
        await using var plain = await new EnvelopeDecryptor(Keyring.StudyKeyResolver).OpenRangeAsync(source, info.Length, info.Metadata, name, offset, length, cancellationToken);
        var output = new MemoryStream();
        await plain.CopyToAsync(output, cancellationToken);
        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        // Azurite keeps blobs in memory for the whole run: drop this archive's containers with it.
        foreach (var name in Containers.All)
        {
            await Container(name).DeleteIfExistsAsync();
        }

        await _services.DisposeAsync();
        TestArchiveSettings.DeleteDirectory(_keyDirectory);
    }
}
