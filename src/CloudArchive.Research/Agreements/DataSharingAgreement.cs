using CloudArchive.Core.Keys;
using System.Text.RegularExpressions;

namespace CloudArchive.Research.Agreements;

/// <summary>
/// A data-sharing (data use) agreement: who may receive de-identified copies of which studies, for what purpose,
/// until when, de-identified how, and whether patient consent is required. Stored as JSON in the <c>control</c>
/// container (<c>agreements/{id}.json</c>); holds no patient data. A per-agreement secret in the keyring drives the
/// de-identifier's keyed mappings, so the same study always gets the same research UIDs within one agreement and
/// unlinkable ones across agreements.
/// </summary>
public sealed partial record DataSharingAgreement
{
    /// <summary>The JSON schema id of stored agreements.</summary>
    public const string SchemaId = "cloudarchive/agreement/v1";

    /// <summary>Format id.</summary>
    public string Schema { get; init; } = SchemaId;

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
