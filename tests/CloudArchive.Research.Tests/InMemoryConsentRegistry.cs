using System.Runtime.CompilerServices;
using CloudArchive.Research.Consent;

namespace CloudArchive.Research.Tests;

/// <summary>A consent registry that keeps serialized documents (exercising the codec), and counts writes.</summary>
internal sealed class InMemoryConsentRegistry : IConsentRegistry
{
    private readonly Dictionary<string, byte[]> _docs = new(StringComparer.Ordinal);

    public int Puts { get; private set; }

    public IReadOnlyCollection<string> Keys => _docs.Keys;

    public IEnumerable<byte[]> Documents => _docs.Values;

    public Task<ConsentRecord?> GetAsync(string patientPseudonym, CancellationToken cancellationToken) =>
        Task.FromResult(_docs.TryGetValue(ConsentNames.For(patientPseudonym), out var d) ? ConsentJson.Parse(d) : null);

    public Task PutAsync(ConsentRecord record, CancellationToken cancellationToken)
    {
        ConsentValidator.Validate(record);
        _docs[ConsentNames.For(record.PatientPseudonym)] = ConsentJson.Serialize(record);
        Puts++;
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ConsentRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var d in _docs.Values.ToArray())
        {
            await Task.Yield();
            yield return ConsentJson.Parse(d);
        }
    }
}
