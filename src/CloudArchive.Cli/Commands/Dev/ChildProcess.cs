using System.Collections.Concurrent;
using System.Diagnostics;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// A process <c>dev up</c> started: output goes to a log file (and a short in-memory tail for error
/// messages); <see cref="Dispose"/> kills the whole process tree. Also killed when the CLI exits
/// (Ctrl+C, end of the demo) through the process-exit hook.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly EventHandler _onExit;
    private readonly object _logGate = new();
    private int _disposed;

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
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

    public static ChildProcess Start(string name, ProcessStartInfo startInfo, string logFile)
    {
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true;
        startInfo.UseShellExecute = false;
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log);
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
