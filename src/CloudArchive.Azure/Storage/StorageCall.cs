using Azure;

namespace CloudArchive.Azure.Storage;

/// <summary>
/// Runs one SDK call and turns its <see cref="RequestFailedException"/> (alone, or aggregated by the retries: see
/// <see cref="StorageErrors.TryGetFailure"/>) into a <see cref="StorageRequestException"/>, so
/// adapters decide on typed, secret-free errors and nothing from the SDK's message reaches a log.
/// </summary>
public static class StorageCall
{
    /// <summary>Runs <paramref name="call"/>; a service failure becomes a <see cref="StorageRequestException"/> for <paramref name="operation"/>.</summary>
    public static async Task<T> RunAsync<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.TryGetFailure(ex, out var failure))
        {
            throw StorageErrors.From(failure, operation);
        }
    }

    /// <summary>Runs <paramref name="call"/>; a service failure becomes a <see cref="StorageRequestException"/> for <paramref name="operation"/>.</summary>
    public static async Task RunAsync(string operation, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.TryGetFailure(ex, out var failure))
        {
            throw StorageErrors.From(failure, operation);
        }
    }
}
