namespace CloudArchive.Research.Export;

/// <summary>The export gate's answer for one study.</summary>
/// <param name="Allowed">Whether the study may be released under the agreement.</param>
/// <param name="Reason">Why not, when not allowed.</param>
public sealed record ExportDecision(bool Allowed, ExclusionReason? Reason)
{
    /// <summary>The study may be released.</summary>
    public static ExportDecision Allow { get; } = new(true, null);

    /// <summary>The study is excluded for <paramref name="reason"/>.</summary>
    public static ExportDecision Exclude(ExclusionReason reason) => new(false, reason);
}
