namespace CloudArchive.Research.Export;

/// <summary>
/// Which selected instances of a study need a new copy and which copies of the previous release can stay: a copy
/// stays when it was made with the same de-identification settings from the same source version.
/// </summary>
/// <param name="Kept">Copies of the previous release that stay.</param>
/// <param name="Todo">Instances to de-identify again.</param>
/// <param name="Unchanged">Nothing to do: the previous release is exactly what would be written.</param>
internal sealed record StudyExportPlan(List<ExportLedgerInstance> Kept, List<IndexedRecord> Todo, bool Unchanged)
{
    /// <summary>Plans a study's export against its previous release.</summary>
    public static StudyExportPlan Create(ExportRun run, ExportLedgerEntry? existing, List<IndexedRecord> selected, string sourceHash)
    {
        var sameSettings = existing is not null && existing.SettingsHash == run.Deidentification.Hash;
        var reusable = sameSettings
            ? existing!.Instances.ToDictionary(i => i.InstanceKey, StringComparer.Ordinal)
            : new Dictionary<string, ExportLedgerInstance>(StringComparer.Ordinal);
        var kept = new List<ExportLedgerInstance>();
        var todo = new List<IndexedRecord>();
        foreach (var record in selected)
        {
            if (reusable.TryGetValue(record.Entry.InstanceKey, out var prior) && string.Equals(prior.SourceVersion, record.Entry.Version, StringComparison.Ordinal))
            {
                kept.Add(prior);
            }
            else
            {
                todo.Add(record);
            }
        }

        var unchanged = todo.Count == 0 && sameSettings && existing!.SourceHash == sourceHash && existing.Instances.Count == kept.Count;
        return new StudyExportPlan(kept, todo, unchanged);
    }
}
