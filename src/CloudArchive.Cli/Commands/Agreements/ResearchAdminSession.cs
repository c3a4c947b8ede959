using System.Globalization;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Research;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Cli.Commands.Audit;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Commands.Keys;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Research.Agreements;
using CloudArchive.Core.Research.Consent;

namespace CloudArchive.Cli.Commands.Agreements;

/// <summary>
/// What the <c>agreements</c> and <c>consents</c> commands work with, composed from the settings like the function
/// app does: the keyring (agreement secrets, the index key for pseudonyms), the <c>control</c> container and the audit
/// log. Changes are audited under actor <c>cli:cloudarchive</c>.
/// </summary>
internal sealed class ResearchAdminSession : IDisposable
{
    private readonly KeyringSession _keys;
    private readonly List<OpaqueKeyNamer> _namers = [];

    private ResearchAdminSession(KeyringSession keys, BlobContainerClient control, AuditLogWriter audit)
    {
        _keys = keys;
        Control = control;
        Audit = audit;
    }

    /// <summary>The actor every change is recorded under.</summary>
    public static AuditActor Actor { get; } = new(AuditLogAccess.Actor, app: "cloudarchive-cli");

    public BlobContainerClient Control { get; }

    public AuditLogWriter Audit { get; }

    public static ResearchAdminSession Open(ArchiveSettings settings)
    {
        StorageConnection connection = settings.Connect();
        var keys = KeyringSession.Open(settings);
        var audit = new AuditLogWriter(
            new BlobAuditLogStore(connection.Blobs.GetContainer(settings.Container("Audit"))),
            AuditBlobName.WriterIdFrom("cli-research-" + Environment.MachineName + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)),
            TimeProvider.System);
        return new ResearchAdminSession(keys, connection.Blobs.GetContainer(settings.Container("Control")), audit);
    }

    public AgreementService Agreements() => new(new BlobAgreementStore(Control), _keys.Keyring, Audit, TimeProvider.System);

    public async Task<ConsentService> ConsentsAsync(CancellationToken cancellationToken)
    {
        // The namer holds the index key; the session zeroes it on dispose.
        var namer = await _keys.Keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false);
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

        Audit.Dispose();
        _keys.Dispose();
    }
}
