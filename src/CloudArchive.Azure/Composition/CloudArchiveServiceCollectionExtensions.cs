using Azure.Core;
using Azure.Identity;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Keys;
using CloudArchive.Azure.Research;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Audit.Seals;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Policies;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Export;
using CloudArchive.Research.Publication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Azure.Composition;

/// <summary>
/// The composition root (docs/architecture.md §7): the one place where the archive's object graph is built from
/// <see cref="CloudArchiveSettings"/>. The function app, the CLI, the benchmarks and the test hosts all call
/// <see cref="AddCloudArchive"/>, so a keyring, an audit writer or an exporter is composed the same way everywhere.
/// </summary>
/// <remarks>
/// Every service is registered with <c>TryAdd</c> and built on first use: services registered before this call win, so
/// tests substitute a fault-injecting <see cref="StorageConnection"/> or a decorated <see cref="IArchiveStore"/>, and a
/// CLI command that reads the audit log never builds a key provider.
/// </remarks>
public static class CloudArchiveServiceCollectionExtensions
{
    /// <summary>Registers the archive's services.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">Configuration holding the <c>CloudArchive:*</c> keys.</param>
    /// <param name="host">Which process composes (audit names; validate everything now or on use).</param>
    /// <returns>The settings read, also registered as a singleton.</returns>
    /// <exception cref="ArchiveConfigurationException">With <see cref="CloudArchiveHost.ValidateOnStart"/>: a setting is invalid.</exception>
    /// <exception cref="PolicyValidationException">With <see cref="CloudArchiveHost.ValidateOnStart"/>: a policy file is missing or invalid.</exception>
    public static CloudArchiveSettings AddCloudArchive(this IServiceCollection services, IConfiguration configuration, CloudArchiveHost host)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(host);
        var settings = CloudArchiveSettings.Read(key => configuration[key], host.BaseDirectory);
        services.TryAddSingleton(host);
        services.TryAddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());

        if (host.ValidateOnStart)
        {
            settings.ThrowIfInvalid();
            var policies = IngestPolicies.LoadAsync(settings.RetentionFiles, settings.MinimizationFile, CancellationToken.None).GetAwaiter().GetResult();
            services.TryAddSingleton(policies);
        }
        else
        {
            services.TryAddSingleton(_ =>
            {
                settings.ThrowIfInvalid(CloudArchiveSettings.Sections.Policies);
                return IngestPolicies.LoadAsync(settings.RetentionFiles, settings.MinimizationFile, CancellationToken.None).GetAwaiter().GetResult();
            });
        }

        AddStorage(services, settings);

        // Before the keyring's registrations: the lifecycle's legal-hold query (hold documents and tags) is the one it consults.
        LifecycleServiceRegistration.AddLifecycle(services, settings, host, key => configuration[key]);
        AddKeysAndAudit(services, settings, host);
        AddAuditSeals(services, settings, configuration[AuditSealSignerFactory.KeyNameKey]);
        AddIngest(services, settings);
        AddResearch(services, settings, host);
        return settings;
    }

    private static void AddStorage(IServiceCollection services, CloudArchiveSettings settings)
    {
        services.TryAddSingleton(sp =>
        {
            settings.ThrowIfInvalid(CloudArchiveSettings.Sections.Storage);
            return StorageConnection.FromOptions(
                settings.Storage,
                string.IsNullOrEmpty(settings.Storage.ConnectionString) ? sp.GetRequiredService<TokenCredential>() : null);
        });
    }

    private static void AddKeysAndAudit(IServiceCollection services, CloudArchiveSettings settings, CloudArchiveHost host)
    {
        services.TryAddSingleton(sp => KeyEncryptionKeyProviderFactory.Create(
            settings.Keys, sp.GetRequiredService<TokenCredential>, sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IAuditLogStore>(sp => new BlobAuditLogStore(Container(sp, settings.Containers.Audit)));
        services.TryAddSingleton(sp =>
        {
            settings.ThrowIfInvalid(CloudArchiveSettings.Sections.Audit);
            return new AuditLogWriter(sp.GetRequiredService<IAuditLogStore>(), settings.AuditWriterId ?? host.NewWriterId(), sp.GetRequiredService<TimeProvider>(), logger: sp.GetService<ILogger<AuditLogWriter>>(), chainKey: sp.GetRequiredService<IAuditChainKeySource>());
        });

        // Lazy: the keyring audits through the writer that needs this key.
        services.TryAddSingleton<IAuditChainKeySource>(sp => new KeyringAuditChainKeySource(sp.GetRequiredService<Keyring>));
        services.TryAddSingleton<IKeyAuditSink>(sp => new AuditLogKeyAuditSink(sp.GetRequiredService<AuditLogWriter>(), host.KeyActor));
        services.TryAddSingleton<IKeyringStore>(sp => new BlobKeyringStore(StorageConnection.ForKeyring(sp.GetRequiredService<StorageConnection>(), settings.Storage, () => sp.GetRequiredService<TokenCredential>()), new BlobKeyringStoreOptions { ContainerName = settings.Containers.Keyring }));
        services.TryAddSingleton(sp => new Keyring(
            sp.GetRequiredService<IKeyringStore>(),
            sp.GetRequiredService<IKeyEncryptionKeyProvider>(),
            sp.GetRequiredService<ILegalHoldQuery>(),
            sp.GetRequiredService<IKeyAuditSink>(),
            timeProvider: sp.GetRequiredService<TimeProvider>()));
    }

    private static void AddAuditSeals(IServiceCollection services, CloudArchiveSettings settings, string? sealKeyName)
    {
        services.TryAddSingleton<IAuditSealStore>(sp => new BlobAuditSealStore(Container(sp, settings.Containers.Seals)));
        services.TryAddSingleton(sp => AuditSealSignerFactory.Create(settings.Keys, sp.GetRequiredService<TokenCredential>, sealKeyName));
        services.TryAddSingleton(new AuditSealOptions());
        services.TryAddSingleton(sp => new AuditSealer(
            sp.GetRequiredService<IAuditLogStore>(),
            sp.GetRequiredService<IAuditSealStore>(),
            sp.GetRequiredService<IAuditSealSigner>(),
            sp.GetRequiredService<AuditLogWriter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AuditSealOptions>(),
            sp.GetService<ILogger<AuditSealer>>()));
        services.TryAddSingleton(sp => new AuditSealVerifier(
            sp.GetRequiredService<IAuditLogStore>(),
            sp.GetRequiredService<IAuditSealStore>(),
            sp.GetRequiredService<IAuditSealSigner>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AuditSealOptions>()));
    }

    private static void AddIngest(IServiceCollection services, CloudArchiveSettings settings)
    {
        services.TryAddSingleton<IIncomingStore>(sp => new BlobIncomingStore(sp.GetRequiredService<StorageConnection>().Blobs, sp.GetRequiredService<StorageConnection>().Options));
        services.TryAddSingleton<IArchiveStore>(sp => new BlobArchiveStore(Container(sp, settings.Containers.Archive), sp.GetRequiredService<StorageConnection>().Options));
        services.TryAddSingleton<IQuarantineStore>(sp => new BlobQuarantineStore(Container(sp, settings.Containers.Quarantine), sp.GetRequiredService<StorageConnection>().Options));
        services.TryAddSingleton(sp =>
        {
            settings.ThrowIfInvalid(CloudArchiveSettings.Sections.Ingest);
            return new IngestService(
                sp.GetRequiredService<IIncomingStore>(),
                sp.GetRequiredService<IArchiveStore>(),
                sp.GetRequiredService<IQuarantineStore>(),
                sp.GetRequiredService<Keyring>(),
                sp.GetRequiredService<IngestPolicies>(),
                sp.GetRequiredService<AuditLogWriter>(),
                settings.Ingest,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<IngestService>>());
        });
        services.TryAddSingleton<IIngestHandler>(sp => sp.GetRequiredService<IngestService>());
        AddQuarantine(services, settings);
    }

    private static void AddQuarantine(IServiceCollection services, CloudArchiveSettings settings)
    {
        services.TryAddSingleton(sp => new QuarantineWriter(sp.GetRequiredService<IQuarantineStore>(), sp.GetRequiredService<Keyring>(), settings.Ingest.QuarantineRetentionDays, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new UploadQuarantiner(sp.GetRequiredService<IIncomingStore>(), sp.GetRequiredService<QuarantineWriter>(), sp.GetRequiredService<AuditLogWriter>()));
        services.TryAddSingleton<IQuarantineLifecycle>(sp => new QuarantineLifecycle(sp.GetRequiredService<IQuarantineStore>(), sp.GetRequiredService<ILegalHoldQuery>(), sp.GetRequiredService<AuditLogWriter>()));
        services.TryAddSingleton<IIncomingWriter>(sp => new BlobIncomingStore(sp.GetRequiredService<StorageConnection>().Blobs, sp.GetRequiredService<StorageConnection>().Options));
        services.TryAddSingleton(sp => new QuarantineOperations(
            sp.GetRequiredService<IQuarantineStore>(),
            sp.GetRequiredService<IIncomingWriter>(),
            settings.Containers.Incoming,
            sp.GetRequiredService<Keyring>(),
            sp.GetRequiredService<ILegalHoldQuery>(),
            sp.GetRequiredService<AuditLogWriter>(),
            sp.GetRequiredService<TimeProvider>()));
    }

    private static void AddResearch(IServiceCollection services, CloudArchiveSettings settings, CloudArchiveHost host)
    {
        services.TryAddSingleton<IAgreementStore>(sp => new BlobAgreementStore(Container(sp, settings.Containers.Control)));
        services.TryAddSingleton<IConsentRegistry>(sp => new BlobConsentRegistry(Container(sp, settings.Containers.Control)));
        services.TryAddSingleton<IResearchStore>(sp => new BlobResearchStore(Container(sp, settings.Containers.Research), sp.GetRequiredService<StorageConnection>().Options));
        services.TryAddSingleton<IExportLedger>(sp => new BlobExportLedger(Container(sp, settings.Containers.Control)));
        services.TryAddSingleton<IArchiveCatalog>(sp => new BlobArchiveCatalog(Container(sp, settings.Containers.Archive)));
        services.TryAddSingleton(new ResearchExportOptions
        {
            MaxParallelism = settings.Export.MaxParallelism,
            TempDirectory = settings.Export.TempDirectory,
            AuditApp = host.AuditApp,
        });
        services.TryAddSingleton(sp =>
        {
            settings.ThrowIfInvalid(CloudArchiveSettings.Sections.Export);
            return new ResearchExporter(
                sp.GetRequiredService<IAgreementStore>(),
                sp.GetRequiredService<IConsentRegistry>(),
                sp.GetRequiredService<IArchiveCatalog>(),
                sp.GetRequiredService<IArchiveStore>(),
                sp.GetRequiredService<Keyring>(),
                sp.GetRequiredService<IResearchStore>(),
                sp.GetRequiredService<IExportLedger>(),
                sp.GetRequiredService<AuditLogWriter>(),
                sp.GetRequiredService<ResearchExportOptions>(),
                sp.GetRequiredService<TimeProvider>());
        });
    }

    private static global::Azure.Storage.Blobs.BlobContainerClient Container(IServiceProvider services, string name) =>
        services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(name);
}
