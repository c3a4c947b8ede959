using System.Diagnostics;
using System.Globalization;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>
/// One <c>dev up</c> per state directory. Two Azurites on the same data folder overwrite each other's databases
/// (archived instances and their audit lines vanish), and the second run rewrites <c>dev.env</c> under the first.
/// The lock is an operating-system file lock (<see cref="FileShare.None"/>: <c>flock</c> on Unix, a sharing lock on
/// Windows) on <c>dev-up.lock</c>, held until <see cref="Dispose"/>; the operating system drops it when the process
/// dies, even by SIGKILL, so a crashed run never blocks the next one (which a pid file alone would).
/// </summary>
internal sealed class DevUpLock : IDisposable
{
    /// <summary>The lock file in the state directory.</summary>
    public const string LockFileName = "dev-up.lock";

    /// <summary>
    /// The holder's process id, for the refusal message. A separate file because a file held with
    /// <see cref="FileShare.None"/> cannot be opened by anyone else, so nobody could read a pid written into it.
    /// </summary>
    public const string OwnerFileName = "dev-up.pid";

    private readonly FileStream _lock;
    private readonly string _ownerFile;

    private DevUpLock(FileStream @lock, string ownerFile)
    {
        _lock = @lock;
        _ownerFile = ownerFile;
    }

    /// <summary>
    /// Takes the lock on <paramref name="stateDirectory"/> (created if missing) or throws <see cref="Common.UsageException"/>
    /// naming the holder's pid.
    /// </summary>
    public static DevUpLock Acquire(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var lockFile = Path.Combine(stateDirectory, LockFileName);
        var ownerFile = Path.Combine(stateDirectory, OwnerFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsHeldElsewhere(ex))
        {
            throw new Common.UsageException(RefusalMessage(stateDirectory, ReadOwner(ownerFile)));
        }

        try
        {
            var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            // Also written into the lock itself: on Unix `cat .cloudarchive/dev-up.lock` (no flock) shows it to a person.
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.WriteLine(pid);
            }

            File.WriteAllText(ownerFile, pid + Environment.NewLine);
            return new DevUpLock(stream, ownerFile);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The refusal, with the holder's pid when known.</summary>
    internal static string RefusalMessage(string stateDirectory, int? holder) =>
        (holder is { } pid
            ? string.Create(CultureInfo.InvariantCulture, $"Another `cloudarchive dev up` (pid {pid}) is already running on {stateDirectory}")
            : $"Another `cloudarchive dev up` is already running on {stateDirectory}")
        + "; stop it first (Ctrl+C in its terminal).";

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        // The owner file goes while the lock is still held, so it can never delete the next holder's pid.
        try
        {
            File.Delete(_ownerFile);
        }
        catch (IOException)
        {
            // Only informational; a stale one is overwritten by the next holder.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }

        // The lock file itself stays: deleting it would let a waiting opener lock the unlinked file while a third
        // process creates and locks a new one, and both would run.
        _lock.Dispose();
    }

    /// <summary>
    /// True when opening failed because another handle holds the lock, not for other I/O errors (which must not be
    /// reported as "already running"). .NET reports the conflict as a plain <see cref="IOException"/>: on Windows with
    /// ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION, on Unix with flock's EWOULDBLOCK errno as the HResult
    /// (11 on Linux, 35 on macOS and the BSDs).
    /// </summary>
    private static bool IsHeldElsewhere(IOException ex) =>
        ex.GetType() == typeof(IOException)
        && (OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) is 32 or 33 : ex.HResult == (OperatingSystem.IsLinux() ? 11 : 35));

    private static int? ReadOwner(string ownerFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(ownerFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 && IsRunning(pid)
                ? pid
                : null;
        }
        catch (IOException)
        {
            // Written a moment after the lock is taken; the message then goes without the pid.
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
