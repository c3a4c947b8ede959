using System.Runtime.CompilerServices;
using CloudArchive.Research.Export;

namespace CloudArchive.Research.Tests.Export;

/// <summary>An in-memory ledger storing entries as the JSON the blob adapter writes, so every read is validated.</summary>
internal sealed class InMemoryExportLedger : IExportLedger
{
    private readonly object _lock = new();

    public Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    public Task<ExportLedgerEntry?> GetAsync(string agreementId, string studyKey, CancellationToken cancellationToken)
    {
        var name = ExportNames.LedgerEntry(agreementId, studyKey);
        lock (_lock)
        {
            return Task.FromResult(Blobs.TryGetValue(name, out var json) ? ExportLedgerJson.Deserialize(json, agreementId, studyKey, name) : null);
        }
    }

    public Task PutAsync(ExportLedgerEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Blobs[ExportNames.LedgerEntry(entry.AgreementId, entry.StudyKey)] = ExportLedgerJson.Serialize(entry);
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string agreementId, string studyKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Blobs.Remove(ExportNames.LedgerEntry(agreementId, studyKey)));
        }
    }

    public async IAsyncEnumerable<string> ListStudyKeysAsync(string agreementId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<string> keys;
        lock (_lock)
        {
            keys = Blobs.Keys.Order(StringComparer.Ordinal).Select(n => ExportNames.StudyKeyOfLedgerEntry(agreementId, n)).OfType<string>().ToList();
        }

        foreach (var key in keys)
        {
            await Task.Yield();
            yield return key;
        }
    }

    public Task PutManifestAsync(string agreementId, ExportManifest manifest, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Blobs[ExportNames.AdminManifest(agreementId)] = manifest.ToJson();
        }

        return Task.CompletedTask;
    }
}
