namespace CloudArchive.Research.Export;

/// <summary>
/// What was released from one archive study under one agreement (<c>control/exports/{agreementId}/studies/{studyKey}.json</c>):
/// the research UIDs and blob names, the patient pseudonym, and a hash of the de-identification settings. It makes
/// re-runs idempotent (unchanged studies are skipped) and lets a later run remove exactly these copies when consent is
/// withdrawn. Holds opaque keys and de-identified UIDs only.
/// </summary>
public sealed record ExportLedgerEntry
{
    /// <summary>The JSON schema id of ledger entries.</summary>
    public const string SchemaId = "cloudarchive/export-ledger/v1";

    /// <summary>Format id.</summary>
    public string Schema { get; init; } = SchemaId;

    /// <summary>The agreement.</summary>
    public required string AgreementId { get; init; }

    /// <summary>The archive's opaque study key.</summary>
    public required string StudyKey { get; init; }

    /// <summary>The patient pseudonym (opaque), null when the study has no Patient ID.</summary>
    public string? PatientPseudonym { get; init; }

    /// <summary>De-identified Study Instance UID.</summary>
    public required string ResearchStudyUid { get; init; }

    /// <summary>Hash of the de-identification profile, options and software version the copies were made with.</summary>
    public required string SettingsHash { get; init; }

    /// <summary>Hash of the identities (keys and versions) of the index records the copies were made from.</summary>
    public required string SourceHash { get; init; }

    /// <summary>The released instances.</summary>
    public required IReadOnlyList<ExportLedgerInstance> Instances { get; init; }

    /// <summary>When the study was first released under the agreement.</summary>
    public required DateTimeOffset FirstExportedAt { get; init; }

    /// <summary>When this entry was last written.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
