using System.Text;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Tests.Audit;
using CloudArchive.Core.Tests.Keys;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using Xunit;
using ManualTimeProvider = CloudArchive.Core.Tests.Audit.ManualTimeProvider;

namespace CloudArchive.Research.Tests;

/// <summary>Keyring (local test KEK), audit log and in-memory research stores for service tests.</summary>
internal sealed class ResearchHarness : IDisposable
{
    public ResearchHarness()
    {
        Kek = new TestKek();
        KeyringStore = new InMemoryKeyringStore();
        Keyring = new Keyring(KeyringStore, Kek, new FakeLegalHolds(), new RecordingAuditSink());
        AuditStore = new InMemoryAuditLogStore();
        Clock = new ManualTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        Audit = new AuditLogWriter(AuditStore, "research-test", Clock);
    }

    public static AuditActor Admin { get; } = new("cli:admin");

    public TestKek Kek { get; }

    public InMemoryKeyringStore KeyringStore { get; }

    public Keyring Keyring { get; }

    public InMemoryAuditLogStore AuditStore { get; }

    public ManualTimeProvider Clock { get; }

    public AuditLogWriter Audit { get; }

    public InMemoryAgreementStore Agreements { get; } = new();

    public InMemoryConsentRegistry Consents { get; } = new();

    public string AuditText() => string.Concat(AuditStore.BlobNames.Select(n => Encoding.UTF8.GetString(AuditStore.Read(n))));

    public async Task<ConsentService> ConsentServiceAsync() =>
        new(Consents, await Keyring.GetIndexKeyNamerAsync(TestContext.Current.CancellationToken), Audit, Clock);

    public AgreementService AgreementService() => new(Agreements, Keyring, Audit, Clock);

    public void Dispose()
    {
        Audit.Dispose();
        Keyring.Dispose();
        Kek.Dispose();
    }
}
