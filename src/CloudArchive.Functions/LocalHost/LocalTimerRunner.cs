using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// Runs one timer-triggered function on its schedule (<c>LocalHost:Schedules:{Function}</c> replaces the trigger's, and
/// <c>%Setting%</c> is resolved from configuration as the host does). A failed run is logged by the middleware and the
/// next one comes on schedule, as under the host; runs of one function never overlap.
/// </summary>
internal sealed class LocalTimerRunner
{
    private readonly LocalFunction _function;
    private readonly LocalFunctionInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public LocalTimerRunner(LocalFunction function, CronSchedule schedule, LocalFunctionInvoker invoker, TimeProvider time, ILogger logger)
    {
        _function = function;
        Schedule = schedule;
        _invoker = invoker;
        _time = time;
        _logger = logger;
    }

    public CronSchedule Schedule { get; }

    /// <summary>The schedule in effect for a timer function.</summary>
    /// <exception cref="InvalidOperationException">The schedule, or the setting it names, is missing or invalid.</exception>
    public static CronSchedule ScheduleFor(LocalFunction function, LocalHostOptions options, IConfiguration configuration)
    {
        var expression = options.Schedules.TryGetValue(function.Name, out var configured) && !string.IsNullOrWhiteSpace(configured) ? configured : function.Target;
        if (expression.Length > 2 && expression[0] == '%' && expression[^1] == '%')
        {
            var setting = expression[1..^1];
            expression = configuration[setting] ?? throw new InvalidOperationException($"Timer '{function.Name}': the setting {setting} its schedule names is not set.");
        }

        try
        {
            return CronSchedule.Parse(expression);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"Timer '{function.Name}': {ex.Message}", ex);
        }
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        DateTime? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var next = Schedule.Next(now);
            try
            {
                await Task.Delay(next - now, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var following = Schedule.Next(next);
            var info = new TimerInfo
            {
                IsPastDue = _time.GetUtcNow() - next > TimeSpan.FromSeconds(30),
                ScheduleStatus = new ScheduleStatus { Last = last ?? default, Next = following.UtcDateTime, LastUpdated = _time.GetUtcNow().UtcDateTime },
            };
            try
            {
                await _invoker.InvokeTimerAsync(_function, info, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The middleware logged the failure with its correlation id; the next occurrence runs as scheduled.
                _logger.LogDebug("LocalHost {Function}: run failed ({Error}); next at {Next:O}.", _function.Name, ex.GetType().Name, following);
            }

            last = next.UtcDateTime;
        }
    }
}
