using System.Runtime.CompilerServices;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Research.Tests.Export;

/// <summary>Agreements in memory (the blob store is tested by its own helper).</summary>
internal sealed class InMemoryAgreementStore : IAgreementStore
{
    private readonly Dictionary<string, StoredAgreement> _items = new(StringComparer.Ordinal);
    private int _version;

    public void Set(DataSharingAgreement agreement) => _items[agreement.Id] = new StoredAgreement(agreement, "v" + ++_version);

    public Task<StoredAgreement?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_items.GetValueOrDefault(id));

    public async IAsyncEnumerable<StoredAgreement> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in _items.Values.OrderBy(a => a.Agreement.Id, StringComparer.Ordinal).ToList())
        {
            await Task.Yield();
            yield return item;
        }
    }

    public Task<bool> TryCreateAsync(DataSharingAgreement agreement, CancellationToken cancellationToken)
    {
        if (_items.ContainsKey(agreement.Id))
        {
            return Task.FromResult(false);
        }

        Set(agreement);
        return Task.FromResult(true);
    }

    public Task<bool> TryReplaceAsync(DataSharingAgreement agreement, string etag, CancellationToken cancellationToken)
    {
        if (!_items.TryGetValue(agreement.Id, out var current) || current.ETag != etag)
        {
            return Task.FromResult(false);
        }

        Set(agreement);
        return Task.FromResult(true);
    }
}
