using System.Runtime.CompilerServices;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Research.Tests;

/// <summary>An agreement store that keeps serialized documents, so tests exercise the JSON codec like the blob store does.</summary>
internal sealed class InMemoryAgreementStore : IAgreementStore
{
    private readonly Dictionary<string, (byte[] Json, string ETag)> _docs = new(StringComparer.Ordinal);
    private int _version;

    public Func<Task>? BeforeReplace { get; set; }

    public Task<StoredAgreement?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_docs.TryGetValue(id, out var d) ? new StoredAgreement(AgreementJson.Parse(d.Json), d.ETag) : null);

    public async IAsyncEnumerable<StoredAgreement> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var id in _docs.Keys.Order(StringComparer.Ordinal).ToArray())
        {
            await Task.Yield();
            yield return (await GetAsync(id, cancellationToken))!;
        }
    }

    public Task<bool> TryCreateAsync(DataSharingAgreement agreement, CancellationToken cancellationToken)
    {
        AgreementValidator.Validate(agreement);
        if (_docs.ContainsKey(agreement.Id))
        {
            return Task.FromResult(false);
        }

        _docs[agreement.Id] = (AgreementJson.Serialize(agreement), "v" + ++_version);
        return Task.FromResult(true);
    }

    public async Task<bool> TryReplaceAsync(DataSharingAgreement agreement, string etag, CancellationToken cancellationToken)
    {
        if (BeforeReplace is { } hook)
        {
            await hook();
        }

        AgreementValidator.Validate(agreement);
        if (!_docs.TryGetValue(agreement.Id, out var d) || d.ETag != etag)
        {
            return false;
        }

        _docs[agreement.Id] = (AgreementJson.Serialize(agreement), "v" + ++_version);
        return true;
    }
}
