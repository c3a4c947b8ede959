namespace CloudArchive.Core.Retention;

/// <summary>
/// When a rule applies. Every present condition must hold; an absent condition means "any".
/// </summary>
public sealed record RetentionConditions
{
    /// <summary>No conditions: the rule applies to every instance.</summary>
    public static RetentionConditions Any { get; } = new();

    /// <summary>ISO 3166 codes (<c>US-CA</c>, <c>GB-ENG</c>, <c>DE</c>). A country code also matches its
    /// subdivisions (<c>DE</c> matches <c>DE-HH</c>). Null means any jurisdiction.</summary>
    public IReadOnlyList<string>? Jurisdictions { get; init; }

    /// <summary>DICOM Modality values (<c>MG</c>, <c>CT</c>...). Null means any modality.</summary>
    public IReadOnlyList<string>? Modalities { get; init; }

    /// <summary>True: only patients younger than the age of majority at the examination; false: only
    /// adults; null: either.</summary>
    public bool? MinorAtExam { get; init; }

    /// <summary>Minimum age in completed years at the examination (inclusive), if any.</summary>
    public int? MinAgeAtExam { get; init; }

    /// <summary>Maximum age in completed years at the examination (inclusive), if any.</summary>
    public int? MaxAgeAtExam { get; init; }

    /// <summary>True when any condition depends on the patient's age.</summary>
    public bool DependsOnAge => MinorAtExam is not null || MinAgeAtExam is not null || MaxAgeAtExam is not null;

    /// <summary>The smallest age at the examination consistent with these conditions.</summary>
    public int SmallestAge(int ageOfMajority) =>
        Math.Max(MinAgeAtExam ?? 0, MinorAtExam == false ? ageOfMajority : 0);
}
