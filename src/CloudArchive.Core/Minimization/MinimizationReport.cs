namespace CloudArchive.Core.Minimization;

/// <summary>
/// What minimization removed from one instance: tag paths only, never values. When <see cref="Changed"/> is
/// false the dataset was not touched, and ingest archives the upload's bytes unchanged.
/// </summary>
/// <param name="PolicyName">The policy applied.</param>
/// <param name="AppliedRules">Ids of the rules that applied to the instance.</param>
/// <param name="RemovedPaths">Paths of removed elements, e.g. <c>(0010,1040)</c> or
/// <c>(0008,1120)[0].(0010,1040)</c>; a removed sequence is listed once, not its content.</param>
public sealed record MinimizationReport(string PolicyName, IReadOnlyList<string> AppliedRules, IReadOnlyList<string> RemovedPaths)
{
    /// <summary>True when anything was removed.</summary>
    public bool Changed => RemovedPaths.Count > 0;
}
