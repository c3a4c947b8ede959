using System.Security.Cryptography;

namespace CloudArchive.Core.Keys;

/// <summary>
/// A bounded, time-limited cache of unwrapped keys so Key Vault is called about once per study, not per instance.
/// Evicted and expired keys are zeroed. Thread-safe.
/// </summary>
internal sealed class StudyKeyCache : IDisposable
{
    private readonly int _capacity;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _lru = new();
    private readonly Lock _lock = new();

    internal StudyKeyCache(int capacity, TimeSpan ttl, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _ttl = ttl;
        _time = time;
    }

    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>Copies the cached key into <paramref name="destination"/> if present and fresh.</summary>
    internal bool TryGet(string name, Span<byte> destination)
    {
        lock (_lock)
        {
            if (!_map.TryGetValue(name, out var node))
            {
                return false;
            }

            if (_time.GetUtcNow() >= node.Value.Expires)
            {
                RemoveNode(node);
                return false;
            }

            _lru.Remove(node);
            _lru.AddFirst(node);
            node.Value.Key.CopyTo(destination);
            return true;
        }
    }

    internal void Set(string name, ReadOnlySpan<byte> key)
    {
        if (_capacity == 0 || _ttl <= TimeSpan.Zero)
        {
            return;
        }

        lock (_lock)
        {
            if (_map.TryGetValue(name, out var existing))
            {
                RemoveNode(existing);
            }

            while (_map.Count >= _capacity && _lru.Last is { } last)
            {
                RemoveNode(last);
            }

            var node = _lru.AddFirst(new Entry(name, key.ToArray(), _time.GetUtcNow() + _ttl));
            _map[name] = node;
        }
    }

    internal void Remove(string name)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(name, out var node))
            {
                RemoveNode(node);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            while (_lru.First is { } first)
            {
                RemoveNode(first);
            }
        }
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        CryptographicOperations.ZeroMemory(node.Value.Key);
        _lru.Remove(node);
        _map.Remove(node.Value.Name);
    }

    private sealed record Entry(string Name, byte[] Key, DateTimeOffset Expires);
}
