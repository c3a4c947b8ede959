namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>The clinical access policy's answer: allowed with the stated purpose, or denied with a reason.</summary>
public sealed record ClinicalAccessDecision
{
    private ClinicalAccessDecision(ClinicalDenialReason? reason, string? purpose)
    {
        Reason = reason;
        PurposeOfUse = purpose;
    }

    /// <summary>Why access was denied; null when allowed.</summary>
    public ClinicalDenialReason? Reason { get; }

    /// <summary>The validated purpose of use (for the audit line); null when denied.</summary>
    public string? PurposeOfUse { get; }

    /// <summary>True when access is allowed.</summary>
    public bool IsAllowed => Reason is null;

    /// <summary>True when the denial is the caller's request (400) rather than their identity (403).</summary>
    public bool IsBadRequest => Reason is ClinicalDenialReason.MissingPurpose or ClinicalDenialReason.UnknownPurpose;

    /// <summary>The stable code (audit detail and error code): <c>missing-role</c>, <c>missing-purpose-of-use</c>, <c>unknown-purpose-of-use</c>.</summary>
    public string Code => Reason switch
    {
        null => string.Empty,
        ClinicalDenialReason.MissingRole => "missing-role",
        ClinicalDenialReason.MissingPurpose => "missing-purpose-of-use",
        ClinicalDenialReason.UnknownPurpose => "unknown-purpose-of-use",
        _ => throw new InvalidOperationException("Unknown denial reason."),
    };

    /// <summary>What the caller is told.</summary>
    public string CallerMessage => Reason switch
    {
        null => string.Empty,
        ClinicalDenialReason.MissingRole => $"Your token does not carry the {ClinicalAccessPolicy.RequiredRole} app role of the archive.",
        ClinicalDenialReason.MissingPurpose => $"State the purpose of use in the {ClinicalDicomWebOptions.PurposeOfUseHeader} header (an HL7 v3 PurposeOfUse code such as TREAT).",
        _ => $"The {ClinicalDicomWebOptions.PurposeOfUseHeader} header does not name a purpose of use this archive accepts for clinical access.",
    };

    /// <summary>An allowed decision for <paramref name="purposeOfUse"/>.</summary>
    public static ClinicalAccessDecision Allowed(string purposeOfUse) => new(null, purposeOfUse);

    /// <summary>A denial for <paramref name="reason"/>.</summary>
    public static ClinicalAccessDecision Denied(ClinicalDenialReason reason) => new(reason, null);
}
