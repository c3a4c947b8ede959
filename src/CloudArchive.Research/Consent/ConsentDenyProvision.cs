namespace CloudArchive.Research.Consent;

/// <summary>
/// A nested FHIR <c>provision</c> of type <c>deny</c>: data the patient excluded from an otherwise permitted use.
/// A study matches when every non-empty criterion matches (empty lists match anything; a provision with no
/// criterion at all denies everything).
/// </summary>
public sealed record ConsentDenyProvision
{
    /// <summary>Modality codes denied (FHIR provision.class / code with DICOM DCM codes).</summary>
    public IReadOnlyList<string> Modalities { get; init; } = [];

    /// <summary>Body Part Examined codes denied.</summary>
    public IReadOnlyList<string> BodyParts { get; init; } = [];

    /// <summary>Purposes this denial applies to (empty: every purpose).</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>Start of the data period the denial covers (study dates, inclusive), if bounded.</summary>
    public DateOnly? DataFrom { get; init; }

    /// <summary>End of the data period the denial covers (inclusive), if bounded.</summary>
    public DateOnly? DataTo { get; init; }
}
