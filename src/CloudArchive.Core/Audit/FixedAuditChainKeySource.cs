namespace CloudArchive.Core.Audit;

/// <summary>An audit chain key already in hand (tools and benchmarks that hold the key; tests).</summary>
public sealed class FixedAuditChainKeySource : IAuditChainKeySource
{
    private readonly AuditChainKey _key;

    /// <summary>Wraps <paramref name="key"/>; the caller keeps ownership.</summary>
    public FixedAuditChainKeySource(AuditChainKey key) => _key = key ?? throw new ArgumentNullException(nameof(key));

    /// <inheritdoc />
    public Task<AuditChainKey> GetAsync(CancellationToken cancellationToken) => Task.FromResult(_key);
}
