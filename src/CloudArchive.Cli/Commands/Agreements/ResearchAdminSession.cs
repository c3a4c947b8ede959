using Azure.Storage.Blobs;
using CloudArchive.Azure.Research;
using CloudArchive.Azure.Storage;
using CloudArchive.Cli.Commands.Audit;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;

namespace CloudArchive.Cli.Commands.Agreements;

/// <summary>
/// What the <c>agreements</c> and <c>consents</c> commands work with, composed from the settings like the function
/// app does: the keyring (agreement secrets, the index key for pseudonyms), the <c>control</c> container and the audit
/// log. Changes are audited under actor <c>cli:cloudarchive</c>.
/// </summary>
internal sealed class ResearchAdminSession : IDisposable
{
    private readonly ArchiveServices _services;
    private readonly List<OpaqueKeyNamer> _namers = [];

    private ResearchAdminSession(ArchiveServices services)
    {
        _services = services;
        Control = services.Get<StorageConnection>().Blobs.GetBlobContainerClient(services.Settings.Containers.Control);
        Audit = services.Get<AuditLogWriter>();
        Keyring = services.Get<Keyring>();
    }

    /// <summary>The actor every change is recorded under.</summary>
    public static AuditActor Actor { get; } = new(AuditLogAccess.Actor, app: "cloudarchive-cli");

    public BlobContainerClient Control { get; }

    public AuditLogWriter Audit { get; }

    private Keyring Keyring { get; }

    public static ResearchAdminSession Open(ArchiveSettings settings)
    {
        var services = ArchiveServices.Open(settings);
        try
        {
            return new ResearchAdminSession(services);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    public AgreementService Agreements() => new(new BlobAgreementStore(Control), Keyring, Audit, TimeProvider.System);

    public async Task<ConsentService> ConsentsAsync(CancellationToken cancellationToken)
    {
        // The namer holds the index key; the session zeroes it on dispose.
        var namer = await Keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false);
        _namers.Add(namer);
        return new ConsentService(new BlobConsentRegistry(Control), namer, Audit, TimeProvider.System);
    }

    /// <summary>Turns "the control container is missing" into a hint instead of a bare 404.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.ErrorCode == "ContainerNotFound")
        {
            throw new UsageException("The control container does not exist. Deploy the archive (or run `cloudarchive dev up`) first.");
        }
    }

    public void Dispose()
    {
        foreach (var namer in _namers)
        {
            namer.Dispose();
        }

        _services.Dispose();
    }
}
