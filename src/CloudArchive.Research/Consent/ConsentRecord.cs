namespace CloudArchive.Research.Consent;

/// <summary>
/// A patient's research consent, modelled on FHIR R4 Consent and keyed by the patient pseudonym (the same HMAC
/// pseudonym ingest puts in <c>ca_patient</c>), never by a patient id: the registry in <c>control/consents/</c> holds
/// no PHI. Importers turn a Patient ID (+ issuer) into the pseudonym with the index key and drop the id.
/// </summary>
public sealed record ConsentRecord
{
    /// <summary>The JSON schema id of stored consent records.</summary>
    public const string SchemaId = "cloudarchive/consent/v1";

    /// <summary>Format id.</summary>
    public string Schema { get; init; } = SchemaId;

    /// <summary>The patient pseudonym (opaque key).</summary>
    public required string PatientPseudonym { get; init; }

    /// <summary>The source system's consent id (FHIR Consent.id or the CSV's consent_id), if given; no patient data.</summary>
    public string? SourceId { get; init; }

    /// <summary>FHIR status.</summary>
    public required ConsentStatus Status { get; init; }

    /// <summary>Start of the period in which the consent applies (provision.period.start), if bounded.</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>End of the period (exclusive), if bounded.</summary>
    public DateTimeOffset? PeriodEnd { get; init; }

    /// <summary>Start of the data period (study dates the consent covers, inclusive), if bounded.</summary>
    public DateOnly? DataFrom { get; init; }

    /// <summary>End of the data period (inclusive), if bounded.</summary>
    public DateOnly? DataTo { get; init; }

    /// <summary>Purposes permitted (provision.purpose, HL7 v3 PurposeOfUse codes such as <c>HRESCH</c>). Research needs an explicit code.</summary>
    public required IReadOnlyList<string> Purposes { get; init; }

    /// <summary>Recipients permitted (provision.actor, Entra object ids or agreement ids); empty: any recipient of a valid agreement.</summary>
    public IReadOnlyList<string> Actors { get; init; } = [];

    /// <summary>Nested deny provisions.</summary>
    public IReadOnlyList<ConsentDenyProvision> Deny { get; init; } = [];

    /// <summary>Where the record came from: <c>csv</c>, <c>fhir</c> or <c>cli</c>.</summary>
    public required string Source { get; init; }

    /// <summary>Why the status was last set by an administrator (e.g. a revocation reason); short text, no patient data.</summary>
    public string? StatusReason { get; init; }

    /// <summary>When this version was recorded.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>Who recorded it (actor id).</summary>
    public required string RecordedBy { get; init; }
}
