namespace CloudArchive.Research.Export;

/// <summary>Why a study of the archive is not in an agreement's research output (written to the manifest as kebab-case).</summary>
public enum ExclusionReason
{
    /// <summary>No instance of the study matches the agreement's selection.</summary>
    NotSelected,

    /// <summary>The study has no patient pseudonym (no Patient ID), so no consent can be looked up.</summary>
    NoPatient,

    /// <summary>Consent is required and none is recorded for the patient.</summary>
    ConsentMissing,

    /// <summary>The patient's consent is not active (withdrawn, rejected, draft, entered in error).</summary>
    ConsentNotActive,

    /// <summary>Now is outside the consent's period.</summary>
    ConsentExpired,

    /// <summary>The study date is outside the consent's data period.</summary>
    OutsideConsentDataPeriod,

    /// <summary>The consent does not permit the agreement's purpose of use.</summary>
    PurposeNotConsented,

    /// <summary>The consent names recipients and none of the agreement's is among them.</summary>
    RecipientNotConsented,

    /// <summary>A deny provision of the consent matches the study.</summary>
    DeniedByProvision,

    /// <summary>The study's key was crypto-shredded: it cannot be read (and must not be released).</summary>
    StudyShredded,

    /// <summary>The de-identifier refused an instance (e.g. burned-in annotation without a pixel rule), so the study is withheld.</summary>
    DeidentificationRefused,

    /// <summary>An archived instance could not be decrypted or parsed.</summary>
    Unreadable,
}
