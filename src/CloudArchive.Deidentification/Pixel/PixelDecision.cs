namespace CloudArchive.Deidentification;

/// <summary>The outcome of <see cref="PixelPolicy.Decide"/>.</summary>
public sealed class PixelDecision
{
    private PixelDecision(PixelDecisionKind kind, PixelRule? rule, string? reason)
    {
        Kind = kind;
        Rule = rule;
        Reason = reason;
    }

    /// <summary>Pixel Data passes through byte-identical.</summary>
    public static PixelDecision Pass { get; } = new(PixelDecisionKind.Pass, null, null);

    /// <summary>What to do.</summary>
    public PixelDecisionKind Kind { get; }

    /// <summary>The rule whose rectangles are blanked (for <see cref="PixelDecisionKind.Blank"/>).</summary>
    public PixelRule? Rule { get; }

    /// <summary>Why the instance is refused (for <see cref="PixelDecisionKind.Refuse"/>); never contains patient data.</summary>
    public string? Reason { get; }

    /// <summary>Blank the rule's rectangles.</summary>
    public static PixelDecision Blank(PixelRule rule) => new(PixelDecisionKind.Blank, rule, null);

    /// <summary>Refuse the instance.</summary>
    public static PixelDecision Refuse(string reason) => new(PixelDecisionKind.Refuse, null, reason);
}
