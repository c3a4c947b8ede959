using System.Diagnostics;
using System.Globalization;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Commands.Dev;
using CloudArchive.Testing;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>One <c>dev up</c> per state directory: <see cref="DevUpLock"/> and the command's refusal.</summary>
public sealed class DevUpLockTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "ca-devup-lock-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    [Fact]
    public void A_second_lock_on_the_same_state_directory_is_refused_naming_the_holder()
    {
        using var first = DevUpLock.Acquire(_state);

        var refused = Assert.Throws<UsageException>(() => DevUpLock.Acquire(_state));

        Assert.Equal(DevUpLock.RefusalMessage(_state, Environment.ProcessId), refused.Message);
        Assert.Contains($"(pid {Environment.ProcessId})", refused.Message, StringComparison.Ordinal);
        Assert.Contains("stop it first", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_released_lock_can_be_taken_again()
    {
        DevUpLock.Acquire(_state).Dispose();

        using var again = DevUpLock.Acquire(_state);

        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(_state, DevUpLock.OwnerFileName)).Trim());
    }

    [Fact]
    public void Files_left_by_a_run_that_is_gone_do_not_block()
    {
        Directory.CreateDirectory(_state);
        var gone = GonePid();
        File.WriteAllText(Path.Combine(_state, DevUpLock.LockFileName), gone + "\n");
        File.WriteAllText(Path.Combine(_state, DevUpLock.OwnerFileName), gone + "\n");

        using var taken = DevUpLock.Acquire(_state);

        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(_state, DevUpLock.OwnerFileName)).Trim());
    }

    [Fact]
    public async Task A_lock_held_by_another_process_blocks_until_that_process_is_killed()
    {
        // util-linux flock(1) takes the same flock(2) lock .NET takes for FileShare.None on Unix: a real second process.
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/flock"))
        {
            Assert.Skip("needs Linux and /usr/bin/flock");
        }

        Directory.CreateDirectory(_state);
        var lockFile = Path.Combine(_state, DevUpLock.LockFileName);
        var start = new ProcessStartInfo("/usr/bin/flock") { UseShellExecute = false, RedirectStandardOutput = true };
        // --close: only flock itself holds the lock, so killing it is what must release it.
        foreach (var arg in new[] { "--exclusive", "--close", lockFile, "sh", "-c", "echo locked; exec sleep 60" })
        {
            start.ArgumentList.Add(arg);
        }

        using var holder = Process.Start(start)!;
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken));
            File.WriteAllText(Path.Combine(_state, DevUpLock.OwnerFileName), holder.Id.ToString(CultureInfo.InvariantCulture));

            var refused = Assert.Throws<UsageException>(() => DevUpLock.Acquire(_state));
            Assert.Contains($"(pid {holder.Id})", refused.Message, StringComparison.Ordinal);

            holder.Kill(entireProcessTree: true); // SIGKILL: no clean-up of its own
            await holder.WaitForExitAsync(TestContext.Current.CancellationToken);

            using var taken = DevUpLock.Acquire(_state);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Dev_up_on_a_state_directory_in_use_is_a_usage_error_that_touches_nothing()
    {
        Directory.CreateDirectory(_state);
        var devEnv = Path.Combine(_state, "dev.env");
        const string Running = "# the running archive's settings\nCloudArchive__Storage__ConnectionString=kept\n";
        File.WriteAllText(devEnv, Running);
        using var running = DevUpLock.Acquire(_state);

        var result = await OperationsCli.RunAsync(
            "dev", "up", "--repo", RepositoryPaths.FindRoot(), "--state-dir", _state, "--functions-dll", Path.Combine(_state, "never-started.dll"));

        Assert.Equal(CloudArchive.Cli.Commands.Common.ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"Another `cloudarchive dev up` (pid {Environment.ProcessId}) is already running on {_state}; stop it first", result.Error, StringComparison.Ordinal);
        Assert.Equal(Running, File.ReadAllText(devEnv));
        Assert.False(Directory.Exists(Path.Combine(_state, "azurite")), "no second Azurite on the data folder");
    }

    private static int GonePid()
    {
        using var process = Process.Start(new ProcessStartInfo(DevUpBinaries.DotnetHost(), "--version") { UseShellExecute = false, RedirectStandardOutput = true })!;
        process.WaitForExit();
        return process.Id;
    }
}
