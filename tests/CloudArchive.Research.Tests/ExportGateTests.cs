using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Export;
using Xunit;

namespace CloudArchive.Research.Tests;

public sealed class ExportGateTests
{
    private const string Pseudonym = "abcdefghijklmnopqrstuvwxyz";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DataSharingAgreement Agreement = AgreementJsonTests.Sample();
    private static readonly StudyFacts Study = new(Pseudonym, new DateOnly(2020, 5, 5), ["CT"], ["CHEST"]);

    private static ConsentRecord Consent() => new()
    {
        PatientPseudonym = Pseudonym,
        Status = ConsentStatus.Active,
        PeriodStart = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        PeriodEnd = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
        DataFrom = new DateOnly(2015, 1, 1),
        DataTo = new DateOnly(2024, 12, 31),
        Purposes = ["HRESCH"],
        Source = "csv",
        RecordedAt = Now.AddDays(-10),
        RecordedBy = "cli:admin",
    };

    private static ExportDecision Evaluate(ConsentRecord? consent, StudyFacts? study = null, DataSharingAgreement? agreement = null) =>
        ExportGate.Evaluate(agreement ?? Agreement, study ?? Study, consent, Now);

    private static void Excluded(ExclusionReason reason, ExportDecision decision)
    {
        Assert.False(decision.Allowed);
        Assert.Equal(reason, decision.Reason);
    }

    [Fact]
    public void Active_consent_in_period_with_purpose_allows()
    {
        var decision = Evaluate(Consent());
        Assert.True(decision.Allowed);
        Assert.Null(decision.Reason);
    }

    [Fact]
    public void Study_without_patient_is_excluded_when_consent_is_required() =>
        Excluded(ExclusionReason.NoPatient, Evaluate(null, Study with { PatientPseudonym = null }));

    [Fact]
    public void Missing_consent_is_excluded() => Excluded(ExclusionReason.ConsentMissing, Evaluate(null));

    [Theory]
    [InlineData(ConsentStatus.Inactive)]
    [InlineData(ConsentStatus.Rejected)]
    [InlineData(ConsentStatus.Draft)]
    [InlineData(ConsentStatus.Proposed)]
    [InlineData(ConsentStatus.EnteredInError)]
    public void Consent_that_is_not_active_is_excluded(ConsentStatus status) =>
        Excluded(ExclusionReason.ConsentNotActive, Evaluate(Consent() with { Status = status }));

    [Fact]
    public void Consent_period_bounds_start_inclusive_end_exclusive()
    {
        Excluded(ExclusionReason.ConsentExpired, Evaluate(Consent() with { PeriodStart = Now.AddTicks(1) }));
        Excluded(ExclusionReason.ConsentExpired, Evaluate(Consent() with { PeriodEnd = Now }));
        Assert.True(Evaluate(Consent() with { PeriodStart = Now }).Allowed);
        Assert.True(Evaluate(Consent() with { PeriodStart = null, PeriodEnd = null }).Allowed);
    }

    [Fact]
    public void Study_outside_the_data_period_or_undated_is_excluded()
    {
        Excluded(ExclusionReason.OutsideConsentDataPeriod, Evaluate(Consent(), Study with { StudyDate = new DateOnly(2014, 12, 31) }));
        Excluded(ExclusionReason.OutsideConsentDataPeriod, Evaluate(Consent(), Study with { StudyDate = new DateOnly(2025, 1, 1) }));
        Excluded(ExclusionReason.OutsideConsentDataPeriod, Evaluate(Consent(), Study with { StudyDate = null }));
        Assert.True(Evaluate(Consent(), Study with { StudyDate = new DateOnly(2024, 12, 31) }).Allowed);
        Assert.True(Evaluate(Consent() with { DataFrom = null, DataTo = null }, Study with { StudyDate = null }).Allowed);
        Assert.True(Evaluate(Consent() with { DataTo = null }, Study with { StudyDate = new DateOnly(2030, 1, 1) }).Allowed);
    }

    [Fact]
    public void Purpose_not_consented_is_excluded()
    {
        Excluded(ExclusionReason.PurposeNotConsented, Evaluate(Consent() with { Purposes = ["TREAT"] }));
        Assert.True(Evaluate(Consent() with { Purposes = ["TREAT", "hresch"] }).Allowed);
    }

    [Fact]
    public void Consent_naming_other_recipients_is_excluded_and_naming_the_agreement_or_a_recipient_allows()
    {
        Excluded(ExclusionReason.RecipientNotConsented, Evaluate(Consent() with { Actors = ["11111111-2222-3333-4444-555555555555", "other-study"] }));
        Assert.True(Evaluate(Consent() with { Actors = [AgreementJsonTests.Recipient.ToUpperInvariant()] }).Allowed);
        Assert.True(Evaluate(Consent() with { Actors = ["lung-2026"] }).Allowed);
    }

    [Fact]
    public void Deny_provision_matching_the_study_excludes()
    {
        Excluded(ExclusionReason.DeniedByProvision, Evaluate(Consent() with { Deny = [new ConsentDenyProvision { Modalities = ["ct"] }] }));
        Excluded(ExclusionReason.DeniedByProvision, Evaluate(Consent() with { Deny = [new ConsentDenyProvision { BodyParts = ["CHEST"] }] }));
        Excluded(ExclusionReason.DeniedByProvision, Evaluate(Consent() with { Deny = [new ConsentDenyProvision()] }));
        Excluded(ExclusionReason.DeniedByProvision, Evaluate(Consent() with { Deny = [new ConsentDenyProvision { Purposes = ["HRESCH"], DataFrom = new DateOnly(2020, 1, 1) }] }));
        Excluded(ExclusionReason.DeniedByProvision, Evaluate(Consent() with { DataFrom = null, DataTo = null, Deny = [new ConsentDenyProvision { DataTo = new DateOnly(2000, 1, 1) }] }, Study with { StudyDate = null }));
    }

    [Fact]
    public void Deny_provision_not_matching_the_study_allows()
    {
        Assert.True(Evaluate(Consent() with { Deny = [new ConsentDenyProvision { Modalities = ["MR"] }] }).Allowed);
        Assert.True(Evaluate(Consent() with { Deny = [new ConsentDenyProvision { Modalities = ["CT"], BodyParts = ["HEAD"] }] }).Allowed);
        Assert.True(Evaluate(Consent() with { Deny = [new ConsentDenyProvision { Purposes = ["TREAT"] }] }).Allowed);
        Assert.True(Evaluate(Consent() with { Deny = [new ConsentDenyProvision { DataFrom = new DateOnly(2021, 1, 1) }] }).Allowed);
    }

    [Fact]
    public void Consent_waived_allows_without_any_consent_or_patient()
    {
        var waived = Agreement with { ConsentRequired = false };
        Assert.True(Evaluate(null, agreement: waived).Allowed);
        Assert.True(Evaluate(null, Study with { PatientPseudonym = null }, waived).Allowed);
    }

    [Fact]
    public void Consent_waived_still_honours_a_withdrawal_a_refusal_and_a_matching_denial()
    {
        var waived = Agreement with { ConsentRequired = false };
        Excluded(ExclusionReason.ConsentNotActive, Evaluate(Consent() with { Status = ConsentStatus.Inactive }, agreement: waived));
        Excluded(ExclusionReason.ConsentNotActive, Evaluate(Consent() with { Status = ConsentStatus.Rejected }, agreement: waived));
        Excluded(ExclusionReason.DeniedByProvision, Evaluate(Consent() with { Deny = [new ConsentDenyProvision { Modalities = ["CT"] }] }, agreement: waived));
        Assert.True(Evaluate(Consent() with { Deny = [new ConsentDenyProvision { Modalities = ["MR"] }] }, agreement: waived).Allowed);
    }

    [Fact]
    public void Consent_waived_ignores_terms_that_only_matter_when_consent_is_the_legal_basis()
    {
        var waived = Agreement with { ConsentRequired = false };
        Assert.True(Evaluate(Consent() with { Purposes = ["TREAT"], PeriodEnd = Now.AddDays(-1) }, agreement: waived).Allowed);
        Assert.True(Evaluate(Consent() with { Status = ConsentStatus.Draft }, agreement: waived).Allowed);
    }

    [Fact]
    public void Deny_provision_applies_to_a_study_whose_modality_or_body_part_is_unknown()
    {
        Excluded(ExclusionReason.DeniedByProvision, Evaluate(Consent() with { Deny = [new ConsentDenyProvision { Modalities = ["MR"] }] }, Study with { Modalities = [] }));
        Excluded(ExclusionReason.DeniedByProvision, Evaluate(Consent() with { Deny = [new ConsentDenyProvision { BodyParts = ["HEAD"] }] }, Study with { BodyParts = [] }));
    }
}
