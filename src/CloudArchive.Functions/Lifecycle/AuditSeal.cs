using System.Globalization;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Audit.Seals;
using CloudArchive.Functions.Middleware;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Lifecycle;

/// <summary>
/// The hourly timer that seals the audit log: every closed hour (past its grace period) not yet sealed gets its signed
/// Merkle seal (<see cref="AuditSealer"/>). Idempotent and resumable, so an overlapping, failed or past-due run is
/// repaired by the next one. Logs counts and hours only.
/// </summary>
public sealed class AuditSeal
{
    /// <summary>The function name.</summary>
    public const string Name = "AuditSeal";

    /// <summary>The schedule setting (NCRONTAB, six fields; default <see cref="DefaultSchedule"/>).</summary>
    public const string ScheduleSetting = "CloudArchive:Schedules:AuditSeal";

    /// <summary>Five minutes past every hour: the previous hour has closed and its grace period has passed.</summary>
    public const string DefaultSchedule = "0 5 * * * *";

    private static readonly AuditActor Actor = new(AuditSealer.TimerActorId, app: "cloudarchive-functions", isRequestor: false);

    private readonly AuditSealer _sealer;
    private readonly ILogger<AuditSeal> _logger;

    /// <summary>Creates the function.</summary>
    public AuditSeal(AuditSealer sealer, ILogger<AuditSeal> logger)
    {
        _sealer = sealer ?? throw new ArgumentNullException(nameof(sealer));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs one sweep.</summary>
    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SealAsync(context.CorrelationId(), context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Seals the due hours and returns what was done.</summary>
    public async Task<AuditSealRun> SealAsync(string correlationId, CancellationToken cancellationToken)
    {
        var run = await _sealer.SealDueAsync(Actor, correlationId, cancellationToken).ConfigureAwait(false);
        var findings = run.Findings.ToList();
        _logger.LogInformation("{Line}", string.Create(CultureInfo.InvariantCulture,
            $"{Name} {correlationId}: {run.Created} hour(s) sealed, {run.Outcomes.Count - run.Created} already sealed{(run.MoreDue ? ", more due" : string.Empty)}, {findings.Count} finding(s) on existing seals"));
        foreach (var finding in findings)
        {
            // Kind and hour only: a finding's blob names are log blob names (writer ids and hours), never PHI.
            _logger.LogWarning("{Function} {CorrelationId}: existing seal check: {Kind} {Blob}", Name, correlationId, finding.KindName, finding.BlobName);
        }

        return run;
    }
}
