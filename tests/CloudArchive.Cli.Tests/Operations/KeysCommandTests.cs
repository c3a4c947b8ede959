using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Keys;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>
/// <c>keys shred</c> and <c>keys rewrap</c> over the real keyring on Azurite with a local key-encryption key (each test
/// in its own keyring container; legal holds are looked up by the archive blobs' <c>ca_study</c>/<c>ca_hold</c> tags).
/// </summary>
public sealed class KeysCommandTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-keys-" + Guid.NewGuid().ToString("N"));
    private readonly string _settings;
    private readonly string _keyring = AzuriteFixture.UniqueName("kr");

    public KeysCommandTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        Directory.CreateDirectory(Path.Combine(_dir, "kek"));
        _settings = Path.Combine(_dir, "settings.env");
        File.WriteAllLines(_settings,
        [
            "CloudArchive__Storage__ConnectionString=" + azurite.ConnectionString,
            "CloudArchive__Keys__Provider=Local",
            "CloudArchive__Keys__LocalKeyFile=" + Path.Combine(_dir, "kek"),
            "CloudArchive__Containers__Keyring=" + _keyring,
        ]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Shred_without_yes_or_with_a_uid_is_refused_and_the_key_survives()
    {
        var study = NewStudyKey();
        await CreateStudyKeysAsync(study);

        var unconfirmed = await OperationsCli.RunAsync("keys", "shred", "--study", study, "--settings", _settings);
        var uid = await OperationsCli.RunAsync("keys", "shred", "--study", "1.2.840.113619.2.55.3.1", "--yes", "--settings", _settings);

        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("--yes", unconfirmed.Error, StringComparison.Ordinal);
        Assert.Equal(2, uid.ExitCode);
        Assert.NotNull(await Store().GetAsync(KeyringNames.Study(study), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Confirmed_shred_destroys_the_study_key_audits_110105_and_leaves_other_studies_readable()
    {
        var ct = TestContext.Current.CancellationToken;
        var (shredded, kept) = (NewStudyKey(), NewStudyKey());
        await CreateStudyKeysAsync(shredded, kept);

        var result = await OperationsCli.RunAsync("keys", "shred", "--study", shredded, "--yes", "--settings", _settings);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using var keyring = OpenKeyring();
        var destroyed = await Assert.ThrowsAsync<KeyringException>(() => keyring.GetStudyKeyAsync(shredded, ct));
        Assert.Equal(KeyringFailureReason.StudyShredded, destroyed.Reason);
        Assert.NotNull(await keyring.GetStudyKeyAsync(kept, ct));
        var audit = await OperationsCli.RunAsync("audit", "query", "--study", shredded, "--json", "--settings", _settings);
        Assert.Contains("110105", audit.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shred_of_a_study_under_legal_hold_is_refused_with_exit_4_and_the_key_survives()
    {
        var ct = TestContext.Current.CancellationToken;
        var study = NewStudyKey();
        await CreateStudyKeysAsync(study);
        var archive = _azurite.Connection.Blobs.GetBlobContainerClient("archive");
        await archive.CreateIfNotExistsAsync(cancellationToken: ct);
        await archive.GetBlobClient($"studies/{study}/held.dcm.enc").UploadAsync(
            new MemoryStream([1, 2, 3]),
            new global::Azure.Storage.Blobs.Models.BlobUploadOptions { Tags = new Dictionary<string, string> { ["ca_study"] = study, ["ca_hold"] = "1" } },
            ct);

        var result = await OperationsCli.RunAsync("keys", "shred", "--study", study, "--yes", "--settings", _settings);

        Assert.Equal(4, result.ExitCode);
        using var keyring = OpenKeyring();
        Assert.NotNull(await keyring.GetStudyKeyAsync(study, ct));
    }

    [Fact]
    public async Task Rewrap_after_a_key_rotation_rewraps_every_study_key_and_the_keys_still_unwrap()
    {
        var ct = TestContext.Current.CancellationToken;
        var studies = new[] { NewStudyKey(), NewStudyKey(), NewStudyKey() };
        await CreateStudyKeysAsync(studies);
        using (var provider = new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = Path.Combine(_dir, "kek") }))
        {
            await provider.RotateAsync(ct);
        }

        var first = await OperationsCli.RunAsync("keys", "rewrap", "--settings", _settings);
        var again = await OperationsCli.RunAsync("keys", "rewrap", "--json", "--settings", _settings);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Matches(@"rewrapped [3-9]\d*,", first.Output);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        var totals = System.Text.Json.JsonDocument.Parse(again.Output).RootElement;
        Assert.Equal(0, totals.GetProperty("rewrapped").GetInt32());
        Assert.True(totals.GetProperty("complete").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, totals.GetProperty("continueFrom").ValueKind);
        using var keyring = OpenKeyring();
        foreach (var study in studies)
        {
            Assert.NotNull(await keyring.GetStudyKeyAsync(study, ct));
        }
    }

    private static string NewStudyKey()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var bytes = Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray();
        return new string(bytes.Take(26).Select(b => alphabet[b % 32]).ToArray());
    }

    private BlobKeyringStore Store() => new(_azurite.Connection, new BlobKeyringStoreOptions { ContainerName = _keyring });

    private Keyring OpenKeyring()
    {
        var audit = new AuditLogWriter(new BlobAuditLogStore(_azurite.Connection.Blobs.GetBlobContainerClient("audit")), "keys-test-setup", TimeProvider.System);
        return new Keyring(
            Store(),
            new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = Path.Combine(_dir, "kek") }),
            new TagLegalHoldQuery(_azurite.Connection.Blobs.GetBlobContainerClient("archive")),
            new AuditLogKeyAuditSink(audit, new AuditActor("svc:keys-test")));
    }

    private async Task CreateStudyKeysAsync(params string[] studies)
    {
        var ct = TestContext.Current.CancellationToken;
        await _azurite.Connection.Blobs.GetBlobContainerClient("audit").CreateIfNotExistsAsync(cancellationToken: ct);
        // The legal-hold lookup and the complete shred fail closed when a container they read is missing, so these must
        // exist: archive (hold tags), control (hold documents, agreements and their ledgers), research (copies),
        // quarantine (the study's quarantine copies go with it).
        foreach (var container in new[] { "archive", "control", "research", "quarantine" })
        {
            await _azurite.Connection.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: ct);
        }
        await Store().Container.CreateIfNotExistsAsync(cancellationToken: ct);
        using var keyring = OpenKeyring();
        foreach (var study in studies)
        {
            await keyring.GetOrCreateStudyKeyAsync(study, ct);
        }
    }
}
