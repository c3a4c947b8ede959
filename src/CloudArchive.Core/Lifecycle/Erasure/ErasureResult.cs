namespace CloudArchive.Core.Lifecycle.Erasure;

/// <summary>What an erasure request did (or, in a dry run, would do).</summary>
/// <param name="RequestId">The erasure record's id (<c>erasures/{id}.json</c> in <c>control</c>); null in a dry run.</param>
/// <param name="PatientPseudonym">The patient's pseudonym.</param>
/// <param name="DryRun">Whether nothing was changed.</param>
/// <param name="Studies">One decision per study.</param>
public sealed record ErasureResult(string? RequestId, string PatientPseudonym, bool DryRun, IReadOnlyList<ErasureStudyOutcome> Studies)
{
    /// <summary>True when every study was (or would be) erased.</summary>
    public bool Complete => Studies.All(s => s.Decision == ErasureDecision.Erase);
}
