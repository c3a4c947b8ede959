using CloudArchive.Azure.Composition;
using CloudArchive.Azure.Storage;

namespace CloudArchive.Functions.Hosting;

/// <summary>
/// Creates the archive containers that do not exist yet (local development; in Azure they come from the deployment).
/// A failure is logged, not fatal: the readiness endpoint must still answer, and ingest fails and retries visibly.
/// </summary>
internal sealed class ContainerInitializer(StorageConnection connection, CloudArchiveSettings settings, ILogger<ContainerInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in settings.Containers.All.Distinct(StringComparer.Ordinal))
        {
            try
            {
                await StorageCall.RunAsync("CreateContainer", () => connection.Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            catch (StorageRequestException ex) when (ex.IsUnreachable)
            {
                // StorageCall reports a connection that never got an answer as status 0: the other containers would
                // wait out the same retries, so stop here; the app still starts.
                logger.LogError("Could not create container {Container}: storage unreachable ({Error}); skipping the rest.", name, ex.Message);
                break;
            }
            catch (StorageRequestException ex)
            {
                logger.LogError("Could not create container {Container}: status {Status} {ErrorCode}.", name, ex.Status, ex.ErrorCode);
            }
            catch (Exception ex) when (ex is global::Azure.RequestFailedException or AggregateException or HttpRequestException or IOException)
            {
                // The account cannot be reached: the other containers would wait out the same retries. The app still
                // starts, and ingest fails and retries visibly until storage answers.
                logger.LogError("Could not create container {Container}: storage unreachable ({Error}); skipping the rest.", name, ex.GetType().Name);
                break;
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
