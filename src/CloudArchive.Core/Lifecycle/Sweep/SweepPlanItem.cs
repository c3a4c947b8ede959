namespace CloudArchive.Core.Lifecycle.Sweep;

/// <summary>One expired instance and what the sweep does with it, and why.</summary>
/// <param name="StudyKey">The opaque study key.</param>
/// <param name="InstanceKey">The opaque instance key.</param>
/// <param name="RetainUntil">The <c>ca_retain_until</c> tag (end of month).</param>
/// <param name="RuleId">The retention rule that set the date (from the encrypted index record), or null when it cannot be read.</param>
/// <param name="Action">The action.</param>
public sealed record SweepPlanItem(string StudyKey, string InstanceKey, string? RetainUntil, string? RuleId, SweepAction Action)
{
    /// <summary>The action as a code: <c>delete-instance</c>, <c>shred-study</c>, <c>keep-held</c>.</summary>
    public string ActionCode => Action switch
    {
        SweepAction.DeleteInstance => "delete-instance",
        SweepAction.ShredStudy => "shred-study",
        _ => "keep-held",
    };
}
