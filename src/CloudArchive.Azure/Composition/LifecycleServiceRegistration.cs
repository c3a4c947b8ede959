using CloudArchive.Azure.Lifecycle;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Erasure;
using CloudArchive.Core.Lifecycle.Fixity;
using CloudArchive.Core.Lifecycle.Holds;
using CloudArchive.Core.Lifecycle.Reconcile;
using CloudArchive.Core.Lifecycle.Shred;
using CloudArchive.Core.Lifecycle.Sweep;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Export;
using CloudArchive.Research.Publication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Azure.Composition;

/// <summary>
/// The lifecycle part of the composition root: the archive's tag index, hold and erasure documents in <c>control</c>,
/// the legal-hold query the keyring consults, the complete shred, the retention sweep and erasure; the fixity sweep and
/// reconciliation with their stores in <c>control</c>. Reconciliation also needs an <see cref="IIngestEventQueue"/>,
/// which the function app registers (it writes and reads the Event Grid message shape the ingest trigger decodes).
/// Like the rest of the root, everything is <c>TryAdd</c> and built on first use.
/// </summary>
internal static class LifecycleServiceRegistration
{
    public static void AddLifecycle(IServiceCollection services, CloudArchiveSettings settings, CloudArchiveHost host, Func<string, string?> get)
    {
        var lifecycle = LifecycleSettings.Read(get);
        if (host.ValidateOnStart)
        {
            lifecycle.ThrowIfInvalid();
        }

        services.TryAddSingleton(lifecycle);
        services.TryAddSingleton<IArchiveTagIndex>(sp =>
        {
            var connection = sp.GetRequiredService<StorageConnection>();
            return new BlobArchiveTagIndex(
                Container(sp, settings.Containers.Archive),
                connection.ImmutabilitySupported,
                connection.IsLocalEmulator ? TagQueryMode.ListAndFilter : TagQueryMode.FindBlobsByTags);
        });
        services.TryAddSingleton<ILifecycleDocumentStore>(sp => new BlobLifecycleDocumentStore(Container(sp, settings.Containers.Control)));
        services.TryAddSingleton(sp => new LegalHoldService(
            sp.GetRequiredService<ILifecycleDocumentStore>(),
            sp.GetRequiredService<IArchiveTagIndex>(),
            sp.GetRequiredService<AuditLogWriter>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new DocumentLegalHoldQuery(sp.GetRequiredService<LegalHoldService>(), sp.GetRequiredService<IArchiveTagIndex>()));
        services.TryAddSingleton<ILegalHoldQuery>(sp => sp.GetRequiredService<DocumentLegalHoldQuery>());
        services.TryAddSingleton<IDerivedCopies>(sp => new ResearchCopyWithdrawal(
            sp.GetRequiredService<IAgreementStore>(),
            sp.GetRequiredService<IExportLedger>(),
            sp.GetRequiredService<IResearchStore>(),
            sp.GetRequiredService<AuditLogWriter>()));
        services.TryAddSingleton(sp => new StudyShredder(
            sp.GetRequiredService<Keyring>(),
            sp.GetRequiredService<IDerivedCopies>(),
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
            new InstanceIndexReader(sp.GetRequiredService<IArchiveStore>(), sp.GetRequiredService<Keyring>()),
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

        services.TryAddSingleton<IArchiveInventory>(sp => new BlobArchiveInventory(Container(sp, settings.Containers.Archive)));
        services.TryAddSingleton<IFixityStore>(sp => new BlobFixityStore(Container(sp, settings.Containers.Control)));
        services.TryAddSingleton(sp => new ArchiveBlobVerifier(sp.GetRequiredService<IArchiveStore>(), sp.GetRequiredService<Keyring>()));
        services.TryAddSingleton(sp =>
        {
            lifecycle.ThrowIfInvalid();
            return new FixitySweeper(
                sp.GetRequiredService<IArchiveInventory>(),
                sp.GetRequiredService<ArchiveBlobVerifier>(),
                sp.GetRequiredService<IFixityStore>(),
                sp.GetRequiredService<AuditLogWriter>(),
                lifecycle.Fixity,
                new AuditActor("system:fixity-sweep", app: host.AuditApp, role: "fixity"),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<FixitySweeper>>());
        });

        services.TryAddSingleton<IIncomingInventory>(sp => new BlobIncomingInventory(Container(sp, settings.Containers.Incoming)));
        services.TryAddSingleton<IReconcileLedger>(sp => new BlobReconcileLedger(Container(sp, settings.Containers.Control)));
        services.TryAddSingleton(sp => new IngestFailureNotes(sp.GetRequiredService<IReconcileLedger>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<IngestFailureNotes>>()));
        var reconcileActor = new AuditActor("system:reconcile", app: host.AuditApp, role: "reconcile");
        services.TryAddSingleton(sp => new PoisonedUploadMover(new UploadQuarantiner(
            sp.GetRequiredService<IIncomingStore>(), sp.GetRequiredService<QuarantineWriter>(), sp.GetRequiredService<AuditLogWriter>(), reconcileActor)));
        services.TryAddSingleton(sp =>
        {
            lifecycle.ThrowIfInvalid();
            return new ReconcileService(
                sp.GetRequiredService<IIncomingInventory>(),
                sp.GetRequiredService<IIngestEventQueue>(),
                sp.GetRequiredService<IReconcileLedger>(),
                sp.GetRequiredService<PoisonedUploadMover>(),
                sp.GetRequiredService<Keyring>(),
                sp.GetRequiredService<AuditLogWriter>(),
                lifecycle.Reconcile,
                reconcileActor,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<ReconcileService>>());
        });
    }

    private static global::Azure.Storage.Blobs.BlobContainerClient Container(IServiceProvider services, string name) =>
        services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(name);
}
