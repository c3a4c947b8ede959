using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CloudArchive.Research.Consent;

namespace CloudArchive.Research.Tests.Export;

/// <summary>Consent records in memory.</summary>
internal sealed class InMemoryConsentRegistry : IConsentRegistry
{
    private readonly ConcurrentDictionary<string, ConsentRecord> _items = new(StringComparer.Ordinal);

    public Task<ConsentRecord?> GetAsync(string patientPseudonym, CancellationToken cancellationToken) => Task.FromResult(_items.GetValueOrDefault(patientPseudonym));

    public Task PutAsync(ConsentRecord record, CancellationToken cancellationToken)
    {
        _items[record.PatientPseudonym] = record;
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ConsentRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in _items.Values.OrderBy(c => c.PatientPseudonym, StringComparer.Ordinal).ToList())
        {
            await Task.Yield();
            yield return item;
        }
    }
}
