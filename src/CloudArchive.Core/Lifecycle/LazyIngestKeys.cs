using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Lifecycle;

/// <summary>The keys derived from the index key (content MAC), loaded from the keyring on first use and kept for the process.</summary>
internal sealed class LazyIngestKeys(Keyring keyring) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IngestKeys? _keys;

    public async Task<IngestKeys> GetAsync(CancellationToken cancellationToken)
    {
        if (_keys is { } keys)
        {
            return keys;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _keys ??= new IngestKeys(await keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _keys?.Dispose();
        _gate.Dispose();
    }
}
