using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// Stops the local host when the process that started it is gone (<c>LocalHost:ParentProcessId</c>, which
/// <c>cloudarchive dev up</c> sets to its own pid). Nothing may outlive <c>dev up</c>: killed (SIGKILL, a closed
/// terminal) it cannot stop its children, and a function app left behind keeps its port and keeps working against an
/// Azurite that is shutting down. Checked every second; the parent's start time, taken at start-up, tells a reused pid
/// apart from the parent.
/// </summary>
internal sealed class ParentProcessWatchdog : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Two readings of one process's start time can differ by the clock's resolution; a process that reused the pid
    /// started after the parent died, which is after the reading taken at start-up.
    /// </summary>
    private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(1);

    private readonly int? _parent;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ParentProcessWatchdog> _logger;

    /// <param name="options">The validated local host settings: <see cref="LocalHostOptions.ParentProcessId"/> is null or a pid.</param>
    /// <param name="lifetime">Stopped when the parent is gone.</param>
    /// <param name="logger">One line when that happens.</param>
    public ParentProcessWatchdog(LocalHostOptions options, IHostApplicationLifetime lifetime, ILogger<ParentProcessWatchdog> logger)
    {
        _parent = options.ParentProcessId;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>
    /// True while the process <paramref name="processId"/> runs and is the one that had started at
    /// <paramref name="startedAtUtc"/> (null: not known, any process with that id counts). A zombie (exited, not yet
    /// reaped; possible when its own parent died too and init does not reap, as in some containers) is gone.
    /// When the answer cannot be found out (access denied), the parent is taken to be alive: stopping the app
    /// is the one thing this must not do by mistake.
    /// </summary>
    internal static bool IsParentAlive(int processId, DateTime? startedAtUtc)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            if (process.HasExited || IsZombie(processId))
            {
                return false;
            }

            return startedAtUtc is not { } expected || StartTimeUtc(process) is not { } actual || actual - expected <= StartTimeTolerance;
        }
        catch (ArgumentException)
        {
            return false; // no process with that id
        }
        catch (InvalidOperationException)
        {
            return false; // exited while being looked at
        }
        catch (Win32Exception)
        {
            return true;
        }
    }

    /// <summary>When the process started (UTC), or null when it is gone or that cannot be read.</summary>
    internal static DateTime? StartTimeUtc(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return StartTimeUtc(process);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_parent is not { } parent)
        {
            return;
        }

        var startedAt = StartTimeUtc(parent);
        using var timer = new PeriodicTimer(Interval);
        try
        {
            // Stopping while Kestrel is still starting makes the start throw; a parent already gone is handled once the
            // app is up, as a clean stop.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            }

            while (IsParentAlive(parent, startedAt))
            {
                await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        _logger.LogWarning("LocalHost: parent process {ParentProcessId} is gone; stopping.", parent);
        _lifetime.StopApplication();
    }

    private static DateTime? StartTimeUtc(Process process)
    {
        try
        {
            return process.StartTime.ToUniversalTime();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (Win32Exception)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Linux only: the state letter in <c>/proc/{pid}/stat</c>, after the parenthesised command name.</summary>
    private static bool IsZombie(int processId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/stat"));
            var end = stat.LastIndexOf(')');
            return end >= 0 && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
