using CloudArchive.Core.Keys;

namespace CloudArchive.Research.Agreements;

/// <summary>
/// A data-sharing (data use) agreement: who may receive de-identified copies of which studies, for what purpose,
/// until when, de-identified how, and whether patient consent is required. Stored as JSON in the <c>control</c>
/// container (<c>agreements/{id}.json</c>); holds no patient data. A per-agreement secret in the keyring drives the
/// de-identifier's keyed mappings, so the same study always gets the same research UIDs within one agreement and
/// unlinkable ones across agreements.
/// </summary>
public sealed partial record DataSharingAgreement : AgreementTerms
{
    /// <summary>The JSON schema id of stored agreements.</summary>
    public const string SchemaId = "cloudarchive/agreement/v1";

    /// <summary>Format id.</summary>
    public string Schema { get; init; } = SchemaId;

    /// <summary>Lifecycle state.</summary>
    public AgreementStatus Status { get; init; } = AgreementStatus.Active;

    /// <summary>When the agreement was recorded.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who recorded it (actor id).</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When it was closed, if it was.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Who closed it.</summary>
    public string? ClosedBy { get; init; }

    /// <summary>Why it was closed (no patient data).</summary>
    public string? CloseReason { get; init; }

    /// <summary>Whether <paramref name="id"/> is a well-formed agreement id.</summary>
    public static bool IsValidId(string? id) => KeyringNames.IsValidSecretName(id);

    /// <summary>Whether the agreement permits exports and fetches at <paramref name="now"/>.</summary>
    public bool IsInForceAt(DateTimeOffset now) => Status == AgreementStatus.Active && ValidFrom <= now && now < ValidUntil;

    /// <summary>Whether one of <paramref name="principalIds"/> (a user's object id and group ids) is a recipient.</summary>
    public bool HasRecipient(IEnumerable<string> principalIds)
    {
        ArgumentNullException.ThrowIfNull(principalIds);
        return principalIds.Any(p => Recipients.Contains(p, StringComparer.OrdinalIgnoreCase));
    }
}
