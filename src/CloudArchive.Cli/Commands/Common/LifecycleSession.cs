using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle.Erasure;
using CloudArchive.Core.Lifecycle.Holds;
using CloudArchive.Core.Lifecycle.Shred;
using CloudArchive.Core.Lifecycle.Sweep;

namespace CloudArchive.Cli.Commands.Common;

/// <summary>
/// The lifecycle services (sweep, holds, erasure, complete shred) composed from the settings by the one composition
/// root, for <c>retention</c>, <c>holds</c>, <c>erasure</c> and <c>keys shred</c>. Changes are audited under actor
/// <c>cli:cloudarchive</c>.
/// </summary>
internal sealed class LifecycleSession : IDisposable
{
    private readonly ArchiveServices _services;

    private LifecycleSession(ArchiveServices services) => _services = services;

    /// <summary>The actor every change is recorded under.</summary>
    public static AuditActor Actor { get; } = new(Audit.AuditLogAccess.Actor, app: "cloudarchive-cli", role: "operator");

    /// <summary>A correlation id for this command's audit lines.</summary>
    public string CorrelationId { get; } = "cli-" + Guid.NewGuid().ToString("N");

    public RetentionSweepService Sweep => _services.Get<RetentionSweepService>();

    public LegalHoldService Holds => _services.Get<LegalHoldService>();

    public ErasureService Erasure => _services.Get<ErasureService>();

    public StudyShredder Shredder => _services.Get<StudyShredder>();

    public Keyring Keyring => _services.Get<Keyring>();

    public static LifecycleSession Open(ArchiveSettings settings) => new(ArchiveServices.Open(settings));

    /// <summary>Turns "a container is missing" into a hint instead of a bare 404.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (ex.ErrorCode == "ContainerNotFound")
        {
            throw new UsageException("A container of the archive does not exist. Deploy the archive (or run `cloudarchive dev up`) first.");
        }
    }

    /// <summary>Validates an opaque study key option.</summary>
    public static string StudyKey(string value, string option) =>
        OpaqueKey.IsValid(value) && value.All(c => !char.IsAsciiLetterUpper(c))
            ? value
            : throw new UsageException($"{option} must be an opaque study key (26 lowercase base32 characters), not a StudyInstanceUID.");

    public void Dispose() => _services.Dispose();
}
