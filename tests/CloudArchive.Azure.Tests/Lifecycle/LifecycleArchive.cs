using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Composition;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Research.Export;
using CloudArchive.Testing;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudArchive.Azure.Tests.Lifecycle;

/// <summary>
/// An archive composed by the real composition root on Azurite (unique containers, a local KEK in a temp directory),
/// with the quarantine port recorded. Instances are seeded as archive blobs with their index tags and a real study key,
/// which is all the lifecycle reads; ingest itself is exercised by the function app's tests.
/// </summary>
internal sealed class LifecycleArchive : IDisposable
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly string _keyDirectory;

    private LifecycleArchive(ServiceProvider services, string keyDirectory, ArchiveContainerNames containers, AzuriteFixture azurite, RecordingQuarantineLifecycle quarantine, Dictionary<string, string?> settings)
    {
        Services = services;
        _keyDirectory = keyDirectory;
        Containers = containers;
        Azurite = azurite;
        Quarantine = quarantine;
        Settings = settings;
    }

    public ServiceProvider Services { get; }

    public ArchiveContainerNames Containers { get; }

    public AzuriteFixture Azurite { get; }

    public RecordingQuarantineLifecycle Quarantine { get; }

    public Dictionary<string, string?> Settings { get; }

    public BlobContainerClient Archive => Container(Containers.Archive);

    public BlobContainerClient Control => Container(Containers.Control);

    public BlobContainerClient Research => Container(Containers.Research);

    public BlobContainerClient KeyringContainer => Container(Containers.Keyring);

    public Keyring Keyring => Services.GetRequiredService<Keyring>();

    public IArchiveTagIndex Tags => Services.GetRequiredService<IArchiveTagIndex>();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public static async Task<LifecycleArchive> CreateAsync(AzuriteFixture azurite, Action<IServiceCollection>? replace = null)
    {
        var keyDirectory = TestArchiveSettings.NewKeyDirectory();
        var containers = new ArchiveContainerNames
        {
            Incoming = AzuriteFixture.UniqueName("in"),
            Archive = AzuriteFixture.UniqueName("ar"),
            Quarantine = AzuriteFixture.UniqueName("qu"),
            Keyring = AzuriteFixture.UniqueName("kr"),
            Audit = AzuriteFixture.UniqueName("au"),
            Control = AzuriteFixture.UniqueName("co"),
            Research = AzuriteFixture.UniqueName("re"),
            Seals = AzuriteFixture.UniqueName("se"),
        };
        var settings = TestArchiveSettings.For(azurite.ConnectionString, keyDirectory);
        foreach (var role in ArchiveContainerNames.Roles)
        {
            settings[$"{ArchiveContainerNames.Section}:{role}"] = containers.For(role);
            await azurite.Connection.Blobs.GetBlobContainerClient(containers.For(role)).CreateIfNotExistsAsync(cancellationToken: Ct);
        }

        var quarantine = new RecordingQuarantineLifecycle();
        var services = new ServiceCollection();
        services.AddSingleton<IQuarantineLifecycle>(quarantine);
        replace?.Invoke(services);
        services.AddCloudArchive(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), CloudArchiveHost.Cli(keyDirectory));
        return new LifecycleArchive(services.BuildServiceProvider(), keyDirectory, containers, azurite, quarantine, settings);
    }

    /// <summary>A second composition of the same archive: another process, with its own key cache.</summary>
    public LifecycleArchive SecondInstance()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IQuarantineLifecycle>(Quarantine);
        services.AddCloudArchive(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build(), CloudArchiveHost.Cli(_keyDirectory));
        return new LifecycleArchive(services.BuildServiceProvider(), _keyDirectory, Containers, Azurite, Quarantine, Settings) { OwnsKeys = false };
    }

    private bool OwnsKeys { get; init; } = true;

    public static string NewKey() => string.Create(26, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Base32[RandomNumberGenerator.GetInt32(32)];
        }
    });

    public BlobContainerClient Container(string name) => Azurite.Connection.Blobs.GetBlobContainerClient(name);

    /// <summary>Seeds a study: its key, and one archive blob per retain-until date given (index tags as ingest writes them).</summary>
    public async Task<(string StudyKey, List<string> InstanceKeys)> SeedStudyAsync(string patient, params string[] retainUntil)
    {
        var study = NewKey();
        using (await Keyring.GetOrCreateStudyKeyAsync(study, Ct))
        {
        }

        var instances = new List<string>();
        foreach (var date in retainUntil)
        {
            instances.Add(await SeedInstanceAsync(study, patient, date));
        }

        return (study, instances);
    }

    public async Task<string> SeedInstanceAsync(string study, string patient, string retainUntil, string hold = "0")
    {
        var instance = NewKey();
        await Archive.GetBlobClient(ArchiveNames.Instance(study, instance)).UploadAsync(BinaryData.FromString("ciphertext"), new BlobUploadOptions
        {
            Tags = new Dictionary<string, string>
            {
                [ArchiveMetadata.StudyTag] = study,
                [ArchiveMetadata.PatientTag] = patient,
                [ArchiveMetadata.RetainUntilTag] = retainUntil,
                [ArchiveMetadata.HoldTag] = hold,
            },
        }, Ct);
        await Archive.GetBlobClient(ArchiveNames.IndexRecord(study, instance)).UploadAsync(BinaryData.FromString("record"), Ct);
        return instance;
    }

    /// <summary>A released research copy of the study under <paramref name="agreementId"/>: one blob and its ledger entry.</summary>
    public async Task<string> SeedResearchCopyAsync(string agreementId, string study, string instance)
    {
        var blob = $"{agreementId}/studies/2.25.10/series/2.25.2/instances/2.25.3.dcm";
        await Research.GetBlobClient(blob).UploadAsync(BinaryData.FromString("deidentified"), Ct);
        await Services.GetRequiredService<IExportLedger>().PutAsync(new ExportLedgerEntry
        {
            AgreementId = agreementId,
            StudyKey = study,
            ResearchStudyUid = "2.25.10",
            SettingsHash = "s",
            SourceHash = "h",
            Instances = [new ExportLedgerInstance { InstanceKey = instance, SeriesUid = "2.25.2", InstanceUid = "2.25.3", BlobName = blob, Bytes = 12 }],
            FirstExportedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        }, Ct);
        return blob;
    }

    public async Task<List<string>> NamesAsync(BlobContainerClient container, string? prefix = null)
    {
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, Ct))
        {
            names.Add(item.Name);
        }

        return names;
    }

    public async Task<string?> HoldTagAsync(string study, string instance) =>
        (await Archive.GetBlobClient(ArchiveNames.Instance(study, instance)).GetTagsAsync(cancellationToken: Ct)).Value.Tags[ArchiveMetadata.HoldTag];

    public async Task<List<AuditEvent>> AuditAsync()
    {
        var events = new List<AuditEvent>();
        var audit = Container(Containers.Audit);
        foreach (var name in await NamesAsync(audit))
        {
            var text = Encoding.UTF8.GetString((await audit.GetBlobClient(name).DownloadContentAsync(Ct)).Value.Content.ToArray());
            events.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(l)).Event));
        }

        return events;
    }

    public void Dispose()
    {
        Services.Dispose();
        if (OwnsKeys)
        {
            TestArchiveSettings.DeleteDirectory(_keyDirectory);
        }
    }
}
