namespace CloudArchive.Deidentification;

/// <summary>Kinds of <see cref="PixelDecision"/>.</summary>
public enum PixelDecisionKind
{
    /// <summary>Keep Pixel Data byte-identical.</summary>
    Pass,

    /// <summary>Blank the rectangles of a rule in native Pixel Data.</summary>
    Blank,

    /// <summary>Do not produce an output for this instance.</summary>
    Refuse,
}
