using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Tests.Audit;
using Xunit;

namespace CloudArchive.Core.Tests.Keys;

/// <summary>
/// The keyring audits each key it creates through the audit log, and the audit log needs the keyring's audit chain
/// key. Wired as the composition root wires them, the first creation on a fresh keyring must not wait on itself.
/// </summary>
public sealed class KeyringAuditReentryTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TestKek _kek = new();

    public void Dispose() => _kek.Dispose();

    [Fact]
    public async Task Creating_a_study_key_whose_lock_stripe_is_the_audit_chain_keys_does_not_deadlock()
    {
        // The stripe is chosen by a per-process string hash, so find a study key that shares the chain key's stripe.
        var chainStripe = Keyring.StripeOf(KeyringNames.AuditChainKey);
        var studyKey = Enumerable.Range(0, 10_000).Select(i => "collide" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
            .First(k => Keyring.StripeOf(KeyringNames.Study(k)) == chainStripe);
        var (keyring, auditStore) = WiredKeyring();
        using var _ = keyring;

        using var key = await keyring.GetOrCreateStudyKeyAsync(studyKey, TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(KeyringNames.StudyKeyId(studyKey), key.KeyId);
        Assert.Contains(AllLines(auditStore), line => line.Contains("study-key-created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Creating_the_audit_chain_key_itself_is_audited_without_deadlock()
    {
        var (keyring, auditStore) = WiredKeyring();
        using var _ = keyring;

        var chainKey = await keyring.GetOrCreateAuditChainKeyAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.NotNull(chainKey);
        Assert.Contains(AllLines(auditStore), line => line.Contains("audit-chain-key-created", StringComparison.Ordinal));
    }

    private static IEnumerable<string> AllLines(InMemoryAuditLogStore store)
        => store.BlobNames.SelectMany(name => System.Text.Encoding.UTF8.GetString(store.Read(name)).Split('\n'));

    private (Keyring Keyring, InMemoryAuditLogStore AuditStore) WiredKeyring()
    {
        var auditStore = new InMemoryAuditLogStore();
        Keyring? keyring = null;
        var chainKey = new KeyringAuditChainKeySource(() => keyring!);
        var writer = new AuditLogWriter(auditStore, "keys-test", TimeProvider.System, chainKey: chainKey);
        keyring = new Keyring(new InMemoryKeyringStore(), _kek, new FakeLegalHolds(), new AuditLogKeyAuditSink(writer, new AuditActor("svc:keys-test")));
        return (keyring, auditStore);
    }
}
