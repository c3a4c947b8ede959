namespace CloudArchive.Research.Export;

/// <summary>
/// An export run was refused (agreement missing, closed or not in force, or its de-identification unusable). Nothing
/// was exported and a 110113 Security Alert was audited. The message holds the agreement id and reason code only.
/// </summary>
public sealed class ExportRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="agreementId">The agreement asked for (only when well-formed).</param>
    /// <param name="reason">Why.</param>
    /// <param name="detail">A short explanation without patient data, if any.</param>
    public ExportRefusedException(string? agreementId, ExportRefusalReason reason, string? detail = null)
        : base($"Export refused for agreement {agreementId ?? "(invalid id)"}: {ExclusionReasonCodes.Kebab(reason.ToString())}" + (detail is null ? string.Empty : $" ({detail})"))
    {
        AgreementId = agreementId;
        Reason = reason;
    }

    /// <summary>The agreement id (null when it was not well-formed).</summary>
    public string? AgreementId { get; }

    /// <summary>Why.</summary>
    public ExportRefusalReason Reason { get; }

    /// <summary>The reason as a kebab-case code (audit detail, logs, exit messages).</summary>
    public string ReasonCode => ExclusionReasonCodes.Kebab(Reason.ToString());
}
