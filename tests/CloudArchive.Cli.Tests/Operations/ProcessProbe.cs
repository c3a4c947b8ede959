using System.Diagnostics;
using System.Net.Sockets;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>Whether a process or a loopback port is still there, as the <c>dev up</c> tests need to know it.</summary>
internal static class ProcessProbe
{
    /// <summary>
    /// True when no process <paramref name="pid"/> runs. A zombie counts as gone: a grandchild orphaned by a killed
    /// CLI is re-parented to init, which in some containers never reaps it, so it stays listed after it exited.
    /// </summary>
    public static bool IsGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || IsZombie(pid);
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>True when something accepts a TCP connection on <c>127.0.0.1:<paramref name="port"/></c>.</summary>
    public static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Kills <paramref name="pid"/> and its tree if it still runs (test clean-up after a failure).</summary>
    public static void KillIfRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (ArgumentException)
        {
            // already gone
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    private static bool IsZombie(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var end = stat.LastIndexOf(')');
            return end >= 0 && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
