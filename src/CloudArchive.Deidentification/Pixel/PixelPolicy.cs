namespace CloudArchive.Deidentification;

/// <summary>
/// The explicit burned-in-text policy. Pixel Data is passed through byte-identical unless a <see cref="PixelRule"/>
/// covers the instance; instances that may carry burned-in identification and that no rule covers are refused.
/// </summary>
public sealed class PixelPolicy
{
    /// <summary>The modalities for which an absent Burned In Annotation (0028,0301) is treated as "maybe" by default.</summary>
    public static readonly IReadOnlyList<string> DefaultSuspectModalities = ["US", "SC", "OT", "XC", "ES", "DOC"];

    /// <summary>Creates a policy.</summary>
    public PixelPolicy(bool refuseWhenBurnedInYes, IReadOnlyCollection<string> refuseWhenAbsentForModalities, IReadOnlyList<PixelRule> rules)
    {
        RefuseWhenBurnedInYes = refuseWhenBurnedInYes;
        RefuseWhenAbsentForModalities = new HashSet<string>(refuseWhenAbsentForModalities.Select(m => m.Trim().ToUpperInvariant()));
        Rules = rules;
    }

    /// <summary>The default: refuse YES, refuse absent for <see cref="DefaultSuspectModalities"/>, no rules.</summary>
    public static PixelPolicy Default { get; } = new(true, DefaultSuspectModalities, []);

    /// <summary>Refuse instances whose Burned In Annotation is YES unless a rule covers them.</summary>
    public bool RefuseWhenBurnedInYes { get; }

    /// <summary>Modalities for which an absent or empty Burned In Annotation is refused unless a rule covers them.</summary>
    public IReadOnlySet<string> RefuseWhenAbsentForModalities { get; }

    /// <summary>The signature rules, first match wins.</summary>
    public IReadOnlyList<PixelRule> Rules { get; }

    /// <summary>Decides what to do with one instance's pixels.</summary>
    /// <param name="hasPixelData">Whether (7FE0,0010) is present at the top level.</param>
    /// <param name="isEncapsulated">Whether Pixel Data is encapsulated (compressed).</param>
    /// <param name="burnedInAnnotation">(0028,0301), or null when absent.</param>
    /// <param name="modality">(0008,0060), or null.</param>
    /// <param name="manufacturer">(0008,0070), or null.</param>
    /// <param name="model">(0008,1090), or null.</param>
    /// <param name="rows">(0028,0010), or null.</param>
    /// <param name="columns">(0028,0011), or null.</param>
    public PixelDecision Decide(
        bool hasPixelData,
        bool isEncapsulated,
        string? burnedInAnnotation,
        string? modality,
        string? manufacturer,
        string? model,
        int? rows,
        int? columns)
    {
        if (!hasPixelData)
        {
            return PixelDecision.Pass;
        }

        var rule = Rules.FirstOrDefault(r => r.Matches(manufacturer, model, rows, columns));
        if (rule is not null)
        {
            return isEncapsulated
                ? PixelDecision.Refuse($"pixel rule '{rule.Name}' matches but Pixel Data is compressed; blanking needs native pixel data (decompress first)")
                : PixelDecision.Blank(rule);
        }

        var burned = burnedInAnnotation?.Trim().ToUpperInvariant();
        if (burned == "YES" && RefuseWhenBurnedInYes)
        {
            return PixelDecision.Refuse("Burned In Annotation (0028,0301) is YES and no pixel rule covers this device signature");
        }

        var mod = modality?.Trim().ToUpperInvariant() ?? string.Empty;
        if (string.IsNullOrEmpty(burned) && RefuseWhenAbsentForModalities.Contains(mod))
        {
            return PixelDecision.Refuse($"Burned In Annotation (0028,0301) is absent for modality {mod}, which often burns in text, and no pixel rule covers this device signature");
        }

        return PixelDecision.Pass;
    }
}
