namespace CloudArchive.Research.Agreements;

/// <summary>
/// The terms of a data-sharing agreement as an administrator states them: who receives copies of what, for what
/// purpose, until when, de-identified how. <see cref="AgreementDraft"/> is a request with these terms alone;
/// <see cref="DataSharingAgreement"/> adds what the archive records itself (status, creation and closing).
/// </summary>
public abstract record AgreementTerms
{
    /// <summary>Agreement id: 3–63 lowercase letters, digits and hyphens, starting with a letter or digit (used in blob names).</summary>
    public required string Id { get; init; }

    /// <summary>A short title (no patient data).</summary>
    public string? Title { get; init; }

    /// <summary>HL7 v3 PurposeOfUse code the release serves (e.g. <c>HRESCH</c>).</summary>
    public required string PurposeOfUse { get; init; }

    /// <summary>Entra ID object ids of the users, groups or service principals who may fetch the copies.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>Start of validity (inclusive).</summary>
    public required DateTimeOffset ValidFrom { get; init; }

    /// <summary>End of validity (exclusive).</summary>
    public required DateTimeOffset ValidUntil { get; init; }

    /// <summary>Which instances are covered.</summary>
    public AgreementSelection Selection { get; init; } = new();

    /// <summary>De-identification profile and options.</summary>
    public AgreementDeidentification Deidentification { get; init; } = new();

    /// <summary>Whether every exported study needs an active consent of its patient covering this agreement.</summary>
    public bool ConsentRequired { get; init; } = true;

    /// <summary>How long research copies are kept after export, as an ISO-8601 period (e.g. <c>P2Y</c>).</summary>
    public required string CopyRetention { get; init; }
}
