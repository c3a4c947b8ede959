using System.Runtime.CompilerServices;
using CloudArchive.Research.Publication;

namespace CloudArchive.Research.Tests.Export;

/// <summary>An in-memory research container that counts writes and deletes; can fail the n-th write.</summary>
internal sealed class InMemoryResearchStore : IResearchStore
{
    private readonly object _lock = new();

    public Dictionary<string, (byte[] Content, string ContentType, Dictionary<string, string> Tags)> Blobs { get; } = new(StringComparer.Ordinal);

    public int Puts { get; private set; }

    public int Deletes { get; private set; }

    /// <summary>When set, the write with this 1-based number (counting from now) throws.</summary>
    public int? FailPutNumber { get; set; }

    public async Task PutAsync(string name, Stream content, string contentType, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        lock (_lock)
        {
            if (FailPutNumber is { } n)
            {
                if (n <= 1)
                {
                    FailPutNumber = null;
                    throw new IOException("injected research store failure");
                }

                FailPutNumber = n - 1;
            }

            Puts++;
            Blobs[name] = (buffer.ToArray(), contentType, tags is null ? [] : new Dictionary<string, string>(tags));
        }
    }

    public Task<ResearchBlob?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Blobs.TryGetValue(name, out var blob) ? new ResearchBlob(new MemoryStream(blob.Content, writable: false), blob.Content.Length) : null);
        }
    }

    public async IAsyncEnumerable<ResearchBlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ResearchBlobInfo> items;
        lock (_lock)
        {
            items = Blobs.Where(b => b.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => new ResearchBlobInfo(b.Key, b.Value.Content.Length)).ToList();
        }

        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var removed = Blobs.Remove(name);
            if (removed)
            {
                Deletes++;
            }

            return Task.FromResult(removed);
        }
    }

    public List<string> InstanceNames()
    {
        lock (_lock)
        {
            return Blobs.Keys.Where(k => k.EndsWith(".dcm", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        }
    }
}
