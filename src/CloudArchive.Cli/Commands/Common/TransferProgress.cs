using Spectre.Console;

namespace CloudArchive.Cli.Commands.Common;

/// <summary>A byte progress bar (speed and time left) on a terminal; without one the work runs silently.</summary>
internal static class TransferProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports the bytes it moved, under a bar of <paramref name="total"/> bytes.</summary>
    /// <param name="console">The console.</param>
    /// <param name="description">The bar's label (markup).</param>
    /// <param name="total">The bytes expected.</param>
    /// <param name="work">The transfer; receives the callback that advances the bar.</param>
    /// <param name="start">When given: called with the bar once it exists, returns the callback to advance it with.</param>
    public static async Task RunAsync(IAnsiConsole console, string description, long total, Func<Action<long>, Task> work, Func<ProgressTask, Action<long>>? start = null)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            await work(_ => { }).ConfigureAwait(false);
            return;
        }

        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: Math.Max(1, total));
                await work(start is null ? bytes => task.Increment(bytes) : start(task)).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
    }
}
