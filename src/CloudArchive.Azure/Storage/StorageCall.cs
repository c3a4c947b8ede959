using Azure;

namespace CloudArchive.Azure.Storage;

/// <summary>
/// Runs one SDK call and turns its <see cref="RequestFailedException"/> into a <see cref="StorageRequestException"/>, so
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
        catch (RequestFailedException ex)
        {
            throw StorageErrors.From(ex, operation);
        }
        catch (AggregateException ex) when (StorageErrors.IsUnreachable(ex))
        {
            throw StorageErrors.Unreachable(ex, operation);
        }
    }

    /// <summary>Runs <paramref name="call"/>; a service failure becomes a <see cref="StorageRequestException"/> for <paramref name="operation"/>.</summary>
    public static async Task RunAsync(string operation, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            throw StorageErrors.From(ex, operation);
        }
        catch (AggregateException ex) when (StorageErrors.IsUnreachable(ex))
        {
            throw StorageErrors.Unreachable(ex, operation);
        }
    }
}
