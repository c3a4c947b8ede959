using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest.Quarantine;

namespace CloudArchive.Cli.Commands.Quarantine;

/// <summary>
/// The quarantine operations as the function app composes them (one composition root), for the <c>quarantine</c>
/// commands; actions are audited under actor <c>cli:cloudarchive</c> with role <c>operator</c>.
/// </summary>
internal sealed class QuarantineSession : IDisposable
{
    private readonly ArchiveServices _services;

    private QuarantineSession(ArchiveServices services)
    {
        _services = services;
        Operations = services.Get<QuarantineOperations>();
    }

    /// <summary>Who acts.</summary>
    public static AuditActor Actor { get; } = new(Audit.AuditLogAccess.Actor, app: "cloudarchive-cli", role: "operator");

    public QuarantineOperations Operations { get; }

    public static QuarantineSession Open(ArchiveSettings settings)
    {
        var services = ArchiveServices.Open(settings);
        try
        {
            return new QuarantineSession(services);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <summary>The usage error for an argument that is not a quarantine id.</summary>
    public static string RequireId(string? id) =>
        QuarantineNames.IsValidId(id) ? id! : throw new UsageException("ID must be a quarantine id (26 lowercase base32 characters, as `cloudarchive quarantine list` shows).");

    /// <summary>Maps a refusal to its exit code after printing it.</summary>
    public static async Task<int> RefusedAsync(TextWriter error, QuarantineException ex)
    {
        await error.WriteLineAsync((ex.Reason == QuarantineFailureReason.LegalHold ? "refused: " : "error: ") + ex.Message).ConfigureAwait(false);
        return ExitCodes.Refused;
    }

    public void Dispose() => _services.Dispose();
}
