namespace CloudArchive.Research.Export;

/// <summary>Why an export run was refused before anything was read or written.</summary>
public enum ExportRefusalReason
{
    /// <summary>The agreement id is not well-formed.</summary>
    InvalidAgreementId,

    /// <summary>No agreement has that id.</summary>
    AgreementNotFound,

    /// <summary>The stored agreement document is malformed (refused by its schema validation).</summary>
    AgreementInvalid,

    /// <summary>The agreement was closed.</summary>
    AgreementClosed,

    /// <summary>The agreement's validity period has not started.</summary>
    AgreementNotYetValid,

    /// <summary>The agreement's validity period has ended.</summary>
    AgreementExpired,

    /// <summary>The agreement's de-identification profile, options or copy retention cannot be applied.</summary>
    InvalidDeidentification,
}
