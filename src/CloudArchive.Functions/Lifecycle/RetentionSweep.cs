using CloudArchive.Core.Lifecycle.Sweep;
using CloudArchive.Functions.Middleware;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Lifecycle;

/// <summary>
/// The daily retention sweep (<c>%CloudArchive:Schedules:RetentionSweep%</c>): runs <see cref="RetentionSweepService"/>
/// for today (UTC) as the sweep's service identity. A failure fails the invocation and the next occurrence runs as
/// scheduled; the sweep is idempotent, so that run finishes what this one left. Logs carry counts only.
/// </summary>
public sealed class RetentionSweep
{
    /// <summary>The function name.</summary>
    public const string Name = "RetentionSweep";

    /// <summary>The schedule setting (NCRONTAB, six fields; default <see cref="DefaultSchedule"/>).</summary>
    public const string ScheduleSetting = "CloudArchive:Schedules:RetentionSweep";

    /// <summary>Daily at 02:00 UTC: retention is counted in whole days, so running more often finds nothing new.</summary>
    public const string DefaultSchedule = "0 0 2 * * *";

    private readonly RetentionSweepService _sweep;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionSweep> _logger;

    /// <summary>Creates the function.</summary>
    public RetentionSweep(RetentionSweepService sweep, TimeProvider time, ILogger<RetentionSweep> logger)
    {
        _sweep = sweep ?? throw new ArgumentNullException(nameof(sweep));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs one occurrence.</summary>
    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SweepAsync(context.CorrelationId(), context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sweeps as of today (UTC) and returns what it did.</summary>
    public async Task<SweepResult> SweepAsync(string correlationId, CancellationToken cancellationToken)
    {
        var asOf = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var result = await _sweep.RunAsync(asOf, RetentionSweepService.ServiceActor, correlationId, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation(
            "{Function} {CorrelationId}: as of {AsOf:yyyy-MM-dd}: {Expired} expired instances; deleted {Deleted}; studies shredded {Shredded}, held {Held}; research copies withdrawn {Withdrawn}; quarantine deleted {Quarantine}",
            Name, correlationId, asOf, result.InstancesExpired, result.InstancesDeleted, result.StudiesShredded, result.StudiesHeld, result.ResearchInstancesWithdrawn, result.QuarantineCopiesDeleted);
        return result;
    }
}
