namespace CloudArchive.Research.Agreements;

/// <summary>
/// What an administrator states to create an agreement: everything of <see cref="DataSharingAgreement"/> except what
/// the archive records itself (status, creation and closing).
/// </summary>
public sealed record AgreementDraft
{
    /// <summary>Agreement id (see <see cref="DataSharingAgreement.IsValidId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>A short title (no patient data).</summary>
    public string? Title { get; init; }

    /// <summary>PurposeOfUse code, e.g. <c>HRESCH</c>.</summary>
    public required string PurposeOfUse { get; init; }

    /// <summary>Entra object ids of the recipients.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>Start of validity (inclusive).</summary>
    public required DateTimeOffset ValidFrom { get; init; }

    /// <summary>End of validity (exclusive).</summary>
    public required DateTimeOffset ValidUntil { get; init; }

    /// <summary>Which instances are covered.</summary>
    public AgreementSelection Selection { get; init; } = new();

    /// <summary>De-identification profile and options.</summary>
    public AgreementDeidentification Deidentification { get; init; } = new();

    /// <summary>Whether consent is required.</summary>
    public bool ConsentRequired { get; init; } = true;

    /// <summary>How long research copies are kept (ISO 8601 period).</summary>
    public required string CopyRetention { get; init; }

    /// <summary>The agreement this draft becomes when recorded at <paramref name="createdAt"/> by <paramref name="createdBy"/>.</summary>
    public DataSharingAgreement ToAgreement(DateTimeOffset createdAt, string createdBy) => new()
    {
        Id = Id,
        Title = Title,
        PurposeOfUse = PurposeOfUse,
        Recipients = Recipients,
        ValidFrom = ValidFrom,
        ValidUntil = ValidUntil,
        Selection = Selection,
        Deidentification = Deidentification,
        ConsentRequired = ConsentRequired,
        CopyRetention = CopyRetention,
        Status = AgreementStatus.Active,
        CreatedAt = createdAt,
        CreatedBy = createdBy,
    };
}
