using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Lifecycle;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Erasure;
using CloudArchive.Core.Lifecycle.Holds;
using CloudArchive.Core.Lifecycle.Shred;
using CloudArchive.Core.Lifecycle.Sweep;
using CloudArchive.Core.Research.Agreements;
using CloudArchive.Core.Research.Export;
using CloudArchive.Core.Research.Publication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudArchive.Azure.Composition;

/// <summary>
/// The lifecycle part of the composition root: the archive's tag index, hold and erasure documents in <c>control</c>,
/// the legal-hold query the keyring consults, the complete shred, the retention sweep and erasure. Like the rest of
/// the root, everything is <c>TryAdd</c> and built on first use.
/// </summary>
internal static class LifecycleServiceRegistration
{
    public static void AddLifecycle(IServiceCollection services, CloudArchiveSettings settings)
    {
        services.TryAddSingleton<IArchiveTagIndex>(sp =>
        {
            var connection = sp.GetRequiredService<StorageConnection>();
            return new BlobArchiveTagIndex(
                Container(sp, settings.Containers.Archive),
                connection.ImmutabilitySupported,
                connection.IsLocalEmulator ? TagQueryMode.ListAndFilter : TagQueryMode.FindBlobsByTags);
        });
        services.TryAddSingleton<ILifecycleDocumentStore>(sp => new BlobLifecycleDocumentStore(Container(sp, settings.Containers.Control)));
        services.TryAddSingleton<IQuarantineLifecycle, PendingQuarantineLifecycle>();
        services.TryAddSingleton(sp => new LegalHoldService(
            sp.GetRequiredService<ILifecycleDocumentStore>(),
            sp.GetRequiredService<IArchiveTagIndex>(),
            sp.GetRequiredService<AuditLogWriter>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new DocumentLegalHoldQuery(sp.GetRequiredService<LegalHoldService>(), sp.GetRequiredService<IArchiveTagIndex>()));
        services.TryAddSingleton<ILegalHoldQuery>(sp => sp.GetRequiredService<DocumentLegalHoldQuery>());
        services.TryAddSingleton(sp => new StudyShredder(
            sp.GetRequiredService<Keyring>(),
            sp.GetRequiredService<IAgreementStore>(),
            sp.GetRequiredService<IExportLedger>(),
            sp.GetRequiredService<IResearchStore>(),
            sp.GetRequiredService<IQuarantineLifecycle>(),
            sp.GetRequiredService<AuditLogWriter>()));
        services.TryAddSingleton(new RetentionSweepOptions());
        services.TryAddSingleton(sp => new RetentionSweepService(
            sp.GetRequiredService<IArchiveTagIndex>(),
            sp.GetRequiredService<LegalHoldService>(),
            sp.GetRequiredService<DocumentLegalHoldQuery>(),
            sp.GetRequiredService<StudyShredder>(),
            sp.GetRequiredService<IQuarantineLifecycle>(),
            sp.GetRequiredService<AuditLogWriter>(),
            new InstanceIndex(sp.GetRequiredService<IArchiveStore>(), sp.GetRequiredService<Keyring>(), new EnvelopeEncryptor()),
            sp.GetRequiredService<RetentionSweepOptions>()));
        services.TryAddSingleton(sp => new ErasureService(
            sp.GetRequiredService<Keyring>(),
            sp.GetRequiredService<IArchiveTagIndex>(),
            sp.GetRequiredService<LegalHoldService>(),
            sp.GetRequiredService<DocumentLegalHoldQuery>(),
            sp.GetRequiredService<StudyShredder>(),
            sp.GetRequiredService<ILifecycleDocumentStore>(),
            sp.GetRequiredService<AuditLogWriter>(),
            sp.GetRequiredService<TimeProvider>()));
    }

    private static global::Azure.Storage.Blobs.BlobContainerClient Container(IServiceProvider services, string name) =>
        services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(name);
}
