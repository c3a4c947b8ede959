namespace CloudArchive.Research.Consent;

/// <summary>The outcome of an import.</summary>
public sealed record ConsentImportResult
{
    /// <summary>Patients who had no record before.</summary>
    public int Imported { get; init; }

    /// <summary>Patients whose record was replaced with different terms.</summary>
    public int Updated { get; init; }

    /// <summary>Rows identical to the patient's current record (nothing written).</summary>
    public int Unchanged { get; init; }

    /// <summary>Rows not imported, with where and why.</summary>
    public IReadOnlyList<ConsentImportError> Errors { get; init; } = [];

    /// <summary>True when strict mode found errors and therefore nothing was written.</summary>
    public bool AbortedByStrictMode { get; init; }
}
