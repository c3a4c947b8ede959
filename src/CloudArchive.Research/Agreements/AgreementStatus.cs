namespace CloudArchive.Research.Agreements;

/// <summary>Lifecycle of a data-sharing agreement.</summary>
public enum AgreementStatus
{
    /// <summary>In force between <see cref="AgreementTerms.ValidFrom"/> and <see cref="AgreementTerms.ValidUntil"/>.</summary>
    Active,

    /// <summary>Closed by an administrator: no further exports or fetches, whatever the validity period says.</summary>
    Closed,
}
