using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;

namespace CloudArchive.Research.Export;

/// <summary>
/// The per-study export gate of compliance research §5: consent active, now within its period and the study within
/// its data period, the agreement's purpose and a recipient covered, no deny provision matching. The agreement itself
/// (in force, selection) is checked by the caller before a study reaches the gate. Pure: no I/O, no clock.
/// </summary>
public static class ExportGate
{
    /// <summary>Decides whether one study may be released under <paramref name="agreement"/> at <paramref name="now"/>.</summary>
    /// <param name="agreement">The agreement (assumed in force).</param>
    /// <param name="study">The study's facts from the index.</param>
    /// <param name="consent">The patient's current consent record, or null when none is recorded.</param>
    /// <param name="now">The time of the export.</param>
    public static ExportDecision Evaluate(DataSharingAgreement agreement, StudyFacts study, ConsentRecord? consent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(study);
        if (!agreement.ConsentRequired)
        {
            // Consent waived (e.g. by an ethics board): a recorded withdrawal, refusal or matching denial still excludes.
            if (consent is null)
            {
                return ExportDecision.Allow;
            }

            if (consent.Status is ConsentStatus.Inactive or ConsentStatus.Rejected)
            {
                return ExportDecision.Exclude(ExclusionReason.ConsentNotActive);
            }

            return DenyMatches(agreement, study, consent) ? ExportDecision.Exclude(ExclusionReason.DeniedByProvision) : ExportDecision.Allow;
        }

        if (study.PatientPseudonym is null)
        {
            return ExportDecision.Exclude(ExclusionReason.NoPatient);
        }

        if (consent is null)
        {
            return ExportDecision.Exclude(ExclusionReason.ConsentMissing);
        }

        return EvaluateConsent(agreement, study, consent, now);
    }

    private static ExportDecision EvaluateConsent(DataSharingAgreement agreement, StudyFacts study, ConsentRecord consent, DateTimeOffset now)
    {
        if (consent.Status != ConsentStatus.Active)
        {
            return ExportDecision.Exclude(ExclusionReason.ConsentNotActive);
        }

        if ((consent.PeriodStart is { } start && now < start) || (consent.PeriodEnd is { } end && now >= end))
        {
            return ExportDecision.Exclude(ExclusionReason.ConsentExpired);
        }

        if (consent.DataFrom is not null || consent.DataTo is not null)
        {
            if (study.StudyDate is not { } date || date < consent.DataFrom || date > consent.DataTo)
            {
                return ExportDecision.Exclude(ExclusionReason.OutsideConsentDataPeriod);
            }
        }

        if (!consent.Purposes.Contains(agreement.PurposeOfUse, StringComparer.OrdinalIgnoreCase))
        {
            return ExportDecision.Exclude(ExclusionReason.PurposeNotConsented);
        }

        if (consent.Actors.Count > 0
            && !consent.Actors.Contains(agreement.Id, StringComparer.OrdinalIgnoreCase)
            && !agreement.HasRecipient(consent.Actors))
        {
            return ExportDecision.Exclude(ExclusionReason.RecipientNotConsented);
        }

        return DenyMatches(agreement, study, consent) ? ExportDecision.Exclude(ExclusionReason.DeniedByProvision) : ExportDecision.Allow;
    }

    private static bool DenyMatches(DataSharingAgreement agreement, StudyFacts study, ConsentRecord consent) =>
        consent.Deny.Any(d => Matches(d, agreement, study));

    private static bool Matches(ConsentDenyProvision deny, DataSharingAgreement agreement, StudyFacts study)
    {
        if (deny.Purposes.Count > 0 && !deny.Purposes.Contains(agreement.PurposeOfUse, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        // Like an undated study below, a study whose modality or body part is unknown cannot be shown to fall outside a
        // denial, so the denial applies (fail closed).
        if (deny.Modalities.Count > 0 && study.Modalities.Count > 0 && !study.Modalities.Any(m => deny.Modalities.Contains(m, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (deny.BodyParts.Count > 0 && study.BodyParts.Count > 0 && !study.BodyParts.Any(b => deny.BodyParts.Contains(b, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (deny.DataFrom is not null || deny.DataTo is not null)
        {
            // A denial bounded in time applies to studies inside the bounds; an undated study is denied to be safe.
            if (study.StudyDate is { } date && (date < deny.DataFrom || date > deny.DataTo))
            {
                return false;
            }
        }

        return true;
    }
}
