using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Keys;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.KeyVault;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Keys;

public sealed class BlobKeyringStoreTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _kekDir = Path.Combine(Path.GetTempPath(), "ca-blobkr-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_kekDir))
        {
            Directory.Delete(_kekDir, recursive: true);
        }
    }

    private async Task<BlobKeyringStore> NewStoreAsync()
    {
        var store = new BlobKeyringStore(azurite.Connection, new BlobKeyringStoreOptions { ContainerName = AzuriteFixture.UniqueName("keyring") });
        await store.Container.CreateIfNotExistsAsync(cancellationToken: Ct);
        return store;
    }

    private LocalKeyEncryptionKeyProvider NewKek() => new(new LocalKeyEncryptionKeyOptions { KeyPath = _kekDir, KeySizeInBits = 2048 });

    [Fact]
    public async Task Create_is_create_only_and_get_returns_content_and_etag()
    {
        var store = await NewStoreAsync();
        Assert.Null(await store.GetAsync("studies/a.json", Ct));
        Assert.True(await store.TryCreateAsync("studies/a.json", "{\"v\":1}"u8.ToArray(), Ct));
        Assert.False(await store.TryCreateAsync("studies/a.json", "{\"v\":2}"u8.ToArray(), Ct));
        var doc = await store.GetAsync("studies/a.json", Ct);
        Assert.NotNull(doc);
        Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString(doc.Content));
        Assert.False(string.IsNullOrEmpty(doc.ETag));
    }

    [Fact]
    public async Task Replace_succeeds_only_with_the_current_etag()
    {
        var store = await NewStoreAsync();
        await store.TryCreateAsync("e.json", "1"u8.ToArray(), Ct);
        var first = (await store.GetAsync("e.json", Ct))!;
        Assert.True(await store.TryReplaceAsync("e.json", "2"u8.ToArray(), first.ETag, Ct));
        Assert.False(await store.TryReplaceAsync("e.json", "3"u8.ToArray(), first.ETag, Ct));
        Assert.False(await store.TryReplaceAsync("missing.json", "3"u8.ToArray(), first.ETag, Ct));
        Assert.Equal("2", Encoding.UTF8.GetString((await store.GetAsync("e.json", Ct))!.Content));
    }

    [Fact]
    public async Task Listing_is_paged_and_filtered_by_prefix()
    {
        var store = await NewStoreAsync();
        for (int i = 0; i < 7; i++)
        {
            await store.TryCreateAsync($"studies/s{i}.json", "{}"u8.ToArray(), Ct);
        }

        await store.TryCreateAsync("index-key.json", "{}"u8.ToArray(), Ct);
        var names = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            var page = await store.ListAsync("studies/", token, 3, Ct);
            names.AddRange(page.Names);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"studies/s{i}.json"), names);
    }

    [Fact]
    public async Task Delete_all_versions_removes_the_entry_and_its_snapshots()
    {
        var store = await NewStoreAsync();
        await store.TryCreateAsync("studies/x.json", "{\"k\":1}"u8.ToArray(), Ct);
        await store.Container.GetBlobClient("studies/x.json").CreateSnapshotAsync(cancellationToken: Ct);
        await store.Container.GetBlobClient("studies/x.json").CreateSnapshotAsync(cancellationToken: Ct);
        Assert.Equal(3, (await ListWithSnapshotsAsync(store.Container, "studies/x.json")).Count);
        Assert.True(await store.DeleteAllVersionsAsync("studies/x.json", Ct));
        Assert.Empty(await ListWithSnapshotsAsync(store.Container, "studies/x.json"));
        Assert.False(await store.DeleteAllVersionsAsync("studies/x.json", Ct));
    }

    [Fact]
    public async Task Sixteen_concurrent_ingests_of_one_new_study_create_exactly_one_study_key()
    {
        var store = await NewStoreAsync();
        using var kek = NewKek();
        await kek.GetCurrentKeyAsync(Ct);
        var audit = new ListAuditSink();
        // Sixteen independent keyrings (as in sixteen function instances) over separate store objects.
        var keyrings = Enumerable.Range(0, 16).Select(_ => new Keyring(new BlobKeyringStore(azurite.Connection, new BlobKeyringStoreOptions { ContainerName = store.Container.Name }), kek, new NoHolds(), audit)).ToList();
        try
        {
            using var gate = new ManualResetEventSlim();
            var tasks = keyrings.Select(k => Task.Run(async () =>
            {
                gate.Wait(Ct);
                using var key = await k.GetOrCreateStudyKeyAsync("racestudy00000000000000000", Ct);
                return Convert.ToBase64String(key.WrapKey("A256KW", new byte[32], Ct));
            }, Ct)).ToList();
            gate.Set();
            var fingerprints = await Task.WhenAll(tasks);
            Assert.Single(fingerprints.Distinct());
            Assert.Single(audit.Events, e => e.Action == KeyAuditAction.StudyKeyCreated);
            var page = await store.ListAsync("studies/", null, 100, Ct);
            Assert.Equal(["studies/racestudy00000000000000000.json"], page.Names);
        }
        finally
        {
            keyrings.ForEach(k => k.Dispose());
        }
    }

    [Fact]
    public async Task Archive_blobs_round_trip_through_azurite_and_shredding_destroys_only_the_shredded_study()
    {
        var store = await NewStoreAsync();
        var archive = await azurite.CreateContainerAsync("archive", cancellationToken: Ct);
        using var kek = NewKek();
        var audit = new ListAuditSink();
        var holds = new NoHolds();
        using var keyring = new Keyring(store, kek, holds, audit);
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = 64 * 1024 });
        var plains = new Dictionary<string, byte[]>();
        foreach (var study in new[] { "studyaaaaaaaaaaaaaaaaaaaaa", "studybbbbbbbbbbbbbbbbbbbbb" })
        {
            using var key = await keyring.GetOrCreateStudyKeyAsync(study, Ct);
            for (int i = 0; i < 2; i++)
            {
                var name = $"studies/{study}/inst{i}.dcm.enc";
                plains[name] = RandomNumberGenerator.GetBytes(200_000 + i);
                await using var enc = await encryptor.EncryptAsync(new MemoryStream(plains[name]), key, cancellationToken: Ct);
                await BlockUpload.UploadAsync(archive.GetBlockBlobClient(name), enc, new BlockUploadOptions { Metadata = enc.GetMetadata(name), Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, new StorageOptions(), Ct);
            }
        }

        // A snapshot of the keyring entry, like a backup, must not survive the shred.
        await store.Container.GetBlobClient("studies/studyaaaaaaaaaaaaaaaaaaaaa.json").CreateSnapshotAsync(cancellationToken: Ct);

        using var reader = new Keyring(store, kek, holds, audit);
        var decryptor = new EnvelopeDecryptor(reader.StudyKeyResolver);
        foreach (var (name, plain) in plains)
        {
            Assert.Equal(plain, await ReadAsync(archive, decryptor, name));
            Assert.Equal(plain.AsSpan(100_000, 70_000).ToArray(), await ReadRangeAsync(archive, decryptor, name, 100_000, 70_000));
        }

        await keyring.ShredStudyAsync(new ShredRequest("studyaaaaaaaaaaaaaaaaaaaaa", "dpo", "erasure request"), Ct);
        Assert.Empty(await ListWithSnapshotsAsync(store.Container, "studies/studyaaaaaaaaaaaaaaaaaaaaa"));

        using var afterwards = new Keyring(store, kek, holds, audit);
        var decryptorAfter = new EnvelopeDecryptor(afterwards.StudyKeyResolver);
        foreach (var (name, plain) in plains)
        {
            if (name.Contains("studyaaaa", StringComparison.Ordinal))
            {
                var ex = await Assert.ThrowsAsync<EnvelopeDecryptionException>(() => ReadAsync(archive, decryptorAfter, name));
                Assert.Equal(EnvelopeFailureReason.KeyDestroyed, ex.Reason);
                Assert.Contains("key destroyed", ex.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(plain, await ReadAsync(archive, decryptorAfter, name));
            }
        }
    }

    private static async Task<byte[]> ReadAsync(BlobContainerClient archive, EnvelopeDecryptor decryptor, string name)
    {
        using var download = (await archive.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: Ct)).Value;
        await using var plain = await decryptor.OpenReadAsync(download.Content, new Dictionary<string, string>(download.Details.Metadata), name, download.Details.ContentLength, leaveOpen: true, cancellationToken: Ct);
        var output = new MemoryStream();
        await plain.CopyToAsync(output, Ct);
        return output.ToArray();
    }

    private static async Task<byte[]> ReadRangeAsync(BlobContainerClient archive, EnvelopeDecryptor decryptor, string name, long offset, long length)
    {
        var blob = archive.GetBlobClient(name);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value;
        CiphertextRangeSource source = async (o, l, ct) =>
        {
            var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(o, l), Conditions = new BlobRequestConditions { IfMatch = properties.ETag } }, ct);
            return download.Value.Content;
        };
        await using var plain = await decryptor.OpenRangeAsync(source, properties.ContentLength, new Dictionary<string, string>(properties.Metadata), name, offset, length, Ct);
        var output = new MemoryStream();
        await plain.CopyToAsync(output, Ct);
        return output.ToArray();
    }

    private static async Task<List<BlobItem>> ListWithSnapshotsAsync(BlobContainerClient container, string prefix)
    {
        var items = new List<BlobItem>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, States = BlobStates.Snapshots }, Ct))
        {
            items.Add(item);
        }

        return items;
    }
}
