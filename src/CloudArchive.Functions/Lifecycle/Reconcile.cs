using CloudArchive.Core.Lifecycle.Reconcile;
using CloudArchive.Functions.Middleware;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Lifecycle;

/// <summary>
/// Timer: reconciles <c>incoming</c> with the ingest queue every 15 minutes (<c>CloudArchive:Schedules:Reconcile</c>):
/// stale uploads are re-enqueued, poisoned ones quarantined as <c>ingest-failed</c> (<see cref="ReconcileService"/>).
/// </summary>
public sealed class Reconcile
{
    /// <summary>The function name.</summary>
    public const string Name = "Reconcile";

    /// <summary>The schedule: the app setting named, default <c>0 */15 * * * *</c>.</summary>
    public const string Schedule = "%" + ScheduleSetting + "%";

    /// <summary>The setting that holds the schedule (default in <see cref="Hosting.TimerScheduleDefaults"/> and the Bicep).</summary>
    public const string ScheduleSetting = "CloudArchive:Schedules:Reconcile";

    /// <summary>Every 15 minutes.</summary>
    public const string DefaultSchedule = "0 */15 * * * *";

    private readonly ReconcileService _service;
    private readonly ILogger<Reconcile> _logger;

    /// <summary>Creates the function.</summary>
    public Reconcile(ReconcileService service, ILogger<Reconcile> logger)
    {
        _service = service ?? throw new ArgumentNullException(nameof(service));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs once on the schedule.</summary>
    [Function(Name)]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var correlationId = context.CorrelationId();
        var result = await _service.RunAsync(correlationId, context.CancellationToken).ConfigureAwait(false);
        _logger.LogInformation(
            "{Function} {CorrelationId}: re-enqueued {Reenqueued}, waiting {Waiting}, quarantined {Quarantined}, poison cleared {Cleared}, poison unreadable {Unreadable}",
            Name, correlationId, result.Reenqueued, result.StillWaiting, result.Quarantined, result.PoisonCleared, result.PoisonUnreadable);
    }
}
