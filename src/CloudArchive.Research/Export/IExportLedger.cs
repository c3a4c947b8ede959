namespace CloudArchive.Research.Export;

/// <summary>
/// Storage port for the export ledger and the administrators' manifest in the <c>control</c> container
/// (<see cref="ExportNames"/>). Implementations validate entries with <see cref="ExportLedgerJson"/>; transient failures
/// surface as exceptions.
/// </summary>
public interface IExportLedger
{
    /// <summary>The entry of one archive study, or null when nothing of it was released under the agreement.</summary>
    /// <exception cref="ExportLedgerFormatException">The stored entry is malformed or belongs elsewhere.</exception>
    Task<ExportLedgerEntry?> GetAsync(string agreementId, string studyKey, CancellationToken cancellationToken);

    /// <summary>Creates or replaces an entry.</summary>
    Task PutAsync(ExportLedgerEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes an entry; false when there was none.</summary>
    Task<bool> DeleteAsync(string agreementId, string studyKey, CancellationToken cancellationToken);

    /// <summary>The study keys that have an entry under the agreement.</summary>
    IAsyncEnumerable<string> ListStudyKeysAsync(string agreementId, CancellationToken cancellationToken);

    /// <summary>Writes the administrators' manifest of the latest run (with excluded studies' keys).</summary>
    Task PutManifestAsync(string agreementId, ExportManifest manifest, CancellationToken cancellationToken);
}
