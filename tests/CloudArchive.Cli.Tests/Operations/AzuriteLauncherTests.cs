using CloudArchive.Azure.Storage;
using CloudArchive.Cli.Commands.Dev;
using CloudArchive.Testing;
using Xunit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>
/// The Azurite of <c>dev up</c> keeps its data across restarts. Azurite saves its metadata every 5 s and on shutdown,
/// so stopping it (Ctrl+C, the end of <c>--exit-after-demo</c>) must go through its own shutdown, never a kill.
/// </summary>
[Collection(DevUpCollection.Name)]
public sealed class AzuriteLauncherTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "ca-devup-azurite-" + Guid.NewGuid().ToString("N"));

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
    public async Task What_was_written_just_before_a_stop_is_there_after_the_restart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var paths = DevPaths.Find(RepositoryPaths.FindRoot(), _state);
        int first;
        using (var azurite = await AzuriteLauncher.StartAsync(paths, cancellationToken))
        {
            first = azurite.ProcessId;
            await StorageConnection.FromConnectionString(azurite.ConnectionString).Blobs.GetBlobContainerClient("written-just-before-the-stop").CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        Assert.True(ProcessProbe.IsGone(first), "Dispose waits until Azurite has exited");
        using var restarted = await AzuriteLauncher.StartAsync(paths, cancellationToken);
        Assert.True((await StorageConnection.FromConnectionString(restarted.ConnectionString).Blobs.GetBlobContainerClient("written-just-before-the-stop").ExistsAsync(cancellationToken)).Value);
    }
}
