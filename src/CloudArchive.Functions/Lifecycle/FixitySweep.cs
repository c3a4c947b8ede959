using CloudArchive.Core.Lifecycle.Fixity;
using CloudArchive.Functions.Middleware;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Lifecycle;

/// <summary>
/// Timer: the daily fixity sweep (<c>CloudArchive:Schedules:FixitySweep</c>), decrypt-verifying the day's share of the
/// archive (<see cref="FixitySweeper"/>).
/// </summary>
public sealed class FixitySweep
{
    /// <summary>The function name.</summary>
    public const string Name = "FixitySweep";

    /// <summary>The schedule: the app setting named, default <c>0 30 2 * * *</c> (02:30 UTC daily).</summary>
    public const string Schedule = "%" + ScheduleSetting + "%";

    /// <summary>The setting that holds the schedule (default in <see cref="Hosting.TimerScheduleDefaults"/> and the Bicep).</summary>
    public const string ScheduleSetting = "CloudArchive:Schedules:FixitySweep";

    /// <summary>Daily at 02:30 UTC, after the retention sweep.</summary>
    public const string DefaultSchedule = "0 30 2 * * *";

    private readonly FixitySweeper _sweeper;
    private readonly ILogger<FixitySweep> _logger;

    /// <summary>Creates the function.</summary>
    public FixitySweep(FixitySweeper sweeper, ILogger<FixitySweep> logger)
    {
        _sweeper = sweeper ?? throw new ArgumentNullException(nameof(sweeper));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs once on the schedule.</summary>
    [Function(Name)]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var correlationId = context.CorrelationId();
        var result = await _sweeper.RunAsync(correlationId, context.CancellationToken).ConfigureAwait(false);
        _logger.LogInformation(
            "{Function} {CorrelationId}: cycle {Cycle}, buckets {First}+{Buckets}, verified {Verified}, failed {Failed}, skipped {Skipped}, resolved {Resolved}{Complete}{Early}",
            Name, correlationId, result.Cycle, result.FirstBucket, result.BucketsDone, result.Verified, result.Failed, result.Skipped, result.Resolved,
            result.CycleComplete ? ", cycle complete" : string.Empty, result.StoppedEarly ? ", stopped at the time limit" : string.Empty);
    }
}
