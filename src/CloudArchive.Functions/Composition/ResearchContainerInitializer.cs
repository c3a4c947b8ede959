using CloudArchive.Azure.Storage;

namespace CloudArchive.Functions.Composition;

/// <summary>
/// Creates the <c>control</c> and <c>research</c> containers when missing (local development, like the ingest
/// containers). A failure is logged, not fatal: exports then fail and retry visibly.
/// </summary>
internal sealed class ResearchContainerInitializer(StorageConnection connection, ResearchSettings settings, ILogger<ResearchContainerInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in new[] { settings.ControlContainer, settings.ResearchContainer })
        {
            try
            {
                await connection.Blobs.GetContainer(name).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StorageRequestException ex)
            {
                logger.LogError("Could not create container {Container}: status {Status} {ErrorCode}.", name, ex.Status, ex.ErrorCode);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
