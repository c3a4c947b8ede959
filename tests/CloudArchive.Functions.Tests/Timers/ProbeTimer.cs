using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Tests.Timers;

/// <summary>A timer function for the local host's timer runner: records each run's schedule status.</summary>
public sealed class ProbeTimer
{
    public const string Name = "ProbeTimer";

    /// <summary>Runs recorded so far (the test owns the only local host that runs this function).</summary>
    public static readonly System.Collections.Concurrent.ConcurrentQueue<(TimerInfo Timer, string CorrelationId)> Runs = new();

    [Function(Name)]
    public Task RunAsync([TimerTrigger("%ProbeTimer:Schedule%")] TimerInfo timer, FunctionContext context)
    {
        Runs.Enqueue((timer, Middleware.CorrelationIds.CorrelationId(context)));
        return Task.CompletedTask;
    }
}
