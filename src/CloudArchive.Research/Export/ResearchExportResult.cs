namespace CloudArchive.Research.Export;

/// <summary>The outcome of an export run.</summary>
/// <param name="Manifest">The administrators' manifest (the researchers' copy is the same without excluded keys).</param>
public sealed record ResearchExportResult(ExportManifest Manifest)
{
    /// <summary>The agreement.</summary>
    public string AgreementId => Manifest.AgreementId;

    /// <summary>Studies written or completed in this run.</summary>
    public int StudiesWritten => Manifest.Run.StudiesWritten;

    /// <summary>Studies skipped because nothing changed.</summary>
    public int StudiesUnchanged => Manifest.Run.StudiesUnchanged;

    /// <summary>Studies whose copies were removed in this run.</summary>
    public int StudiesRemoved => Manifest.Run.StudiesRemoved;

    /// <summary>Excluded studies per reason code.</summary>
    public IReadOnlyDictionary<string, int> ExcludedByReason => Manifest.ExcludedByReason;
}
