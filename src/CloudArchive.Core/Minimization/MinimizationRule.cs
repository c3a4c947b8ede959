namespace CloudArchive.Core.Minimization;

/// <summary>Attributes to remove, optionally only for some modalities or SOP classes.</summary>
public sealed record MinimizationRule
{
    /// <summary>Unique rule id.</summary>
    public required string Id { get; init; }

    /// <summary>What is removed and why (the justification a privacy officer signs off).</summary>
    public required string Description { get; init; }

    /// <summary>DICOM Modality values the rule is limited to; null for every modality.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }

    /// <summary>SOP Class UIDs the rule is limited to; null for every SOP class.</summary>
    public IReadOnlyList<string>? SopClasses { get; init; }

    /// <summary>The attributes removed, wherever they occur (top level and inside sequence items).</summary>
    public required IReadOnlyList<MinimizationTarget> Remove { get; init; }

    /// <summary>True when the rule applies to an instance of this modality and SOP class. An instance
    /// without a Modality still matches modality-limited rules: removing too much of a non-clinical
    /// attribute is the safer error.</summary>
    public bool AppliesTo(string? modality, string? sopClassUid) =>
        (Modalities is null || modality is null || Modalities.Contains(modality, StringComparer.Ordinal))
        && (SopClasses is null || sopClassUid is null || SopClasses.Contains(sopClassUid, StringComparer.Ordinal));
}
