using Azure.Core;
using Azure.Identity;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.KeyVault;
using CloudArchive.Azure.Keys;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Policies;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudArchive.Functions.Composition;

/// <summary>
/// Composes the ingest service from configuration (keys in <see cref="IngestSettings.Keys"/> and
/// <see cref="StorageOptions.SettingKeys"/>). Settings and policy files are read and validated here, while the app is
/// being built, so a bad configuration stops the start with one message listing every problem.
/// </summary>
/// <remarks>
/// Services already registered before this call win (<c>TryAdd</c>): tests register a <see cref="StorageConnection"/>
/// with a fault-injecting transport or a decorated <see cref="IArchiveStore"/> that way.
/// </remarks>
public static class IngestServiceRegistration
{
    /// <summary>Registers <see cref="IIngestHandler"/> and its dependencies.</summary>
    /// <exception cref="InvalidOperationException">The configuration is invalid.</exception>
    /// <exception cref="PolicyValidationException">A policy file is missing or invalid.</exception>
    public static void AddIngest(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var settings = IngestSettings.Read(key => configuration[key], builder.Environment.ContentRootPath);
        var policies = IngestPolicies.LoadAsync(settings.RetentionFiles, settings.MinimizationFile, CancellationToken.None).GetAwaiter().GetResult();
        var storageOptions = StorageOptions.FromSettings(key => configuration[key]);

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(policies);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(sp => StorageConnection.FromOptions(
            storageOptions,
            string.IsNullOrEmpty(storageOptions.ConnectionString) ? sp.GetRequiredService<TokenCredential>() : null));
        services.TryAddSingleton<IKeyEncryptionKeyProvider>(sp => CreateKekProvider(settings, sp));
        services.TryAddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<StorageConnection>();
            var writerId = settings.AuditWriterId
                ?? AuditBlobName.WriterIdFrom($"ingest-{Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID") ?? Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}");
            return new AuditLogWriter(new BlobAuditLogStore(connection.Blobs.GetContainer(settings.Containers.Audit)), writerId, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<StorageConnection>();
            var actor = new AuditActor(settings.Ingest.AuditActorId, app: "cloudarchive-functions", role: "ingest");
            return new Keyring(
                new BlobKeyringStore(connection, new BlobKeyringStoreOptions { ContainerName = settings.Containers.Keyring }),
                sp.GetRequiredService<IKeyEncryptionKeyProvider>(),
                new TagLegalHoldQuery(connection.Blobs.GetContainer(settings.Containers.Archive)),
                new AuditLogKeyAuditSink(sp.GetRequiredService<AuditLogWriter>(), actor),
                timeProvider: sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<IIncomingStore>(sp => new BlobIncomingStore(sp.GetRequiredService<StorageConnection>().Blobs));
        services.TryAddSingleton<IArchiveStore>(sp => new BlobArchiveStore(sp.GetRequiredService<StorageConnection>().Blobs.GetContainer(settings.Containers.Archive)));
        services.TryAddSingleton<IQuarantineStore>(sp => new BlobQuarantineStore(sp.GetRequiredService<StorageConnection>().Blobs.GetContainer(settings.Containers.Quarantine)));
        services.TryAddSingleton(sp => new IngestService(
            sp.GetRequiredService<IIncomingStore>(),
            sp.GetRequiredService<IArchiveStore>(),
            sp.GetRequiredService<IQuarantineStore>(),
            sp.GetRequiredService<Keyring>(),
            policies,
            sp.GetRequiredService<AuditLogWriter>(),
            settings.Ingest,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<IngestService>>()));
        services.TryAddSingleton<IIngestHandler>(sp => sp.GetRequiredService<IngestService>());
        if (settings.CreateContainers)
        {
            services.AddHostedService<ContainerInitializer>();
        }
    }

    private static IKeyEncryptionKeyProvider CreateKekProvider(IngestSettings settings, IServiceProvider services)
    {
        if (settings.KeyProvider == "KeyVault")
        {
            var keyUri = settings.KeyVaultKeyUri!;
            var id = KeyVaultKeyIdentifier.Parse(keyUri.AbsoluteUri);
            var client = new KeyVaultKeyClient(id.VaultUri, services.GetRequiredService<TokenCredential>());
            return new KeyVaultKeyEncryptionKeyProvider(client, new KeyVaultKekOptions { KeyUri = keyUri });
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger<LocalKeyEncryptionKeyProvider>();
        return new LocalKeyEncryptionKeyProvider(new LocalKeyEncryptionKeyOptions { KeyPath = settings.LocalKeyPath! }, logger);
    }
}
