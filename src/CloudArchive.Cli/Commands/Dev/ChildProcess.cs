using System.Collections.Concurrent;
using System.Diagnostics;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// A process <c>dev up</c> started: output goes to a log file (and a short in-memory tail for error
/// messages); <see cref="Dispose"/> stops it — first by closing its stdin when it has a grace period (a child
/// that must save state on the way out watches for that), then by killing the whole process tree. Also stopped
/// when the CLI exits (Ctrl+C, end of the demo, SIGTERM) through the process-exit hook.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly EventHandler _onExit;
    private readonly object _logGate = new();
    private readonly TimeSpan _stopGracePeriod;
    private int _disposed;

    private ChildProcess(string name, Process process, StreamWriter log, TimeSpan stopGracePeriod)
    {
        Name = name;
        _process = process;
        _log = log;
        _stopGracePeriod = stopGracePeriod;
        _onExit = (_, _) => Dispose();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Raised for each output line (stdout and stderr).</summary>
    public event Action<string>? Line;

    public string RecentOutput => string.Join(Environment.NewLine, _tail);

    /// <summary>The exit code once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for the process to exit.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Starts the process.</summary>
    /// <param name="name">For messages.</param>
    /// <param name="startInfo">What to start; output and input are redirected here.</param>
    /// <param name="logFile">Where its output goes (appended).</param>
    /// <param name="stopGracePeriod">How long <see cref="Dispose"/> waits for the process to exit after closing its stdin
    /// before killing it; zero (the default) kills at once.</param>
    public static ChildProcess Start(string name, ProcessStartInfo startInfo, string logFile, TimeSpan stopGracePeriod = default)
    {
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true;
        startInfo.UseShellExecute = false;
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log, stopGracePeriod);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            child.Dispose();
            throw new Common.UsageException($"Could not start {name} ({startInfo.FileName}): {ex.Message}. Is it installed and on PATH?");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        try
        {
            if (_stopGracePeriod > TimeSpan.Zero && !_process.HasExited)
            {
                CloseInput();
                _process.WaitForExit(_stopGracePeriod);
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or exited between the check and the kill.
        }
        finally
        {
            _process.Dispose();
            lock (_logGate)
            {
                _log.Dispose();
            }
        }
    }

    private void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The pipe is already broken: the child is on its way out.
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _tail.Enqueue(line);
        while (_tail.Count > 50 && _tail.TryDequeue(out _))
        {
        }

        lock (_logGate)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                _log.WriteLine(line);
            }
        }

        Line?.Invoke(line);
    }
}
