namespace CloudArchive.Research.Agreements;

/// <summary>Lifecycle of a data-sharing agreement.</summary>
public enum AgreementStatus
{
    /// <summary>In force between <see cref="DataSharingAgreement.ValidFrom"/> and <see cref="DataSharingAgreement.ValidUntil"/>.</summary>
    Active,

    /// <summary>Closed by an administrator: no further exports or fetches, whatever the validity period says.</summary>
    Closed,
}
