namespace CloudArchive.Research.Agreements;

/// <summary>
/// What an administrator states to create an agreement: everything of <see cref="DataSharingAgreement"/> except what
/// the archive records itself (status, creation and closing).
/// </summary>
public sealed record AgreementDraft : AgreementTerms
{
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
