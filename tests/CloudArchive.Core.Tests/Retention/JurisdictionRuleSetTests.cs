using CloudArchive.Core.Retention;
using Xunit;
using static CloudArchive.Core.Tests.Retention.ShippedPolicies;

namespace CloudArchive.Core.Tests.Retention;

/// <summary>The shipped rule sets give the figures of compliance.md §1 for adults and minors.</summary>
public sealed class JurisdictionRuleSetTests
{
    private static RetentionFacts Facts(string jurisdiction, string exam, string? born, string? modality = "CT") => new()
    {
        IngestDate = D(exam).AddDays(3),
        ExamDate = D(exam),
        BirthDate = born is null ? null : D(born),
        Jurisdiction = jurisdiction,
        Modality = modality,
    };

    [Fact]
    public async Task California_adult_is_kept_7_years_after_the_exam()
    {
        var policy = await LoadAsync("us-california.json");

        var decision = policy.Evaluate(Facts("US-CA", "2020-03-15", "1970-05-01"));

        Assert.Equal(D("2027-03-15"), decision.RetainUntil);
        Assert.Equal("us-ca-7y", decision.DecidedBy.Rule.Id);
        Assert.Empty(decision.Assumptions);
    }

    [Fact]
    public async Task California_young_child_is_kept_until_one_year_after_turning_18()
    {
        var policy = await LoadAsync("us-california.json");

        var decision = policy.Evaluate(Facts("US-CA", "2020-03-15", "2015-06-01"));

        Assert.Equal(D("2034-06-01"), decision.RetainUntil);
        Assert.Equal("us-ca-minor-until-19", decision.DecidedBy.Rule.Id);
        Assert.Equal(2, decision.Candidates.Count);
    }

    [Fact]
    public async Task California_minor_near_18_is_never_kept_less_than_7_years()
    {
        var policy = await LoadAsync("us-california.json");

        var decision = policy.Evaluate(Facts("US-CA", "2020-03-15", "2002-09-01"));

        Assert.Equal(D("2027-03-15"), decision.RetainUntil);
        Assert.Equal("us-ca-7y", decision.DecidedBy.Rule.Id);
    }

    [Fact]
    public async Task UK_adult_is_kept_8_years()
    {
        var policy = await LoadAsync("uk-nhs-england.json");

        var decision = policy.Evaluate(Facts("GB-ENG", "2021-07-01", "1980-01-01"));

        Assert.Equal(D("2029-07-01"), decision.RetainUntil);
        Assert.Equal("uk-adult-8y", decision.DecidedBy.Rule.Id);
        Assert.Single(decision.Candidates);
    }

    [Fact]
    public async Task UK_child_is_kept_until_the_25th_birthday()
    {
        var policy = await LoadAsync("uk-nhs-england.json");

        var decision = policy.Evaluate(Facts("GB-ENG", "2021-07-01", "2011-04-20"));

        Assert.Equal(D("2036-04-20"), decision.RetainUntil);
        Assert.Equal("uk-child-until-25", decision.DecidedBy.Rule.Id);
    }

    [Fact]
    public async Task UK_patient_aged_17_is_kept_until_the_26th_birthday()
    {
        var policy = await LoadAsync("uk-nhs-england.json");

        var decision = policy.Evaluate(Facts("GB-ENG", "2021-07-01", "2004-03-10"));

        Assert.Equal(D("2030-03-10"), decision.RetainUntil);
        Assert.Equal("uk-age17-until-26", decision.DecidedBy.Rule.Id);
        Assert.Contains(decision.Candidates, c => c.Rule.Id == "uk-child-until-25");
    }

    [Fact]
    public async Task UK_adult_mammogram_is_kept_10_years()
    {
        var policy = await LoadAsync("uk-nhs-england.json");

        var decision = policy.Evaluate(Facts("GB-ENG", "2021-07-01", "1965-02-02", modality: "MG"));

        Assert.Equal(D("2031-07-01"), decision.RetainUntil);
        Assert.Equal("uk-screening-mg-10y", decision.DecidedBy.Rule.Id);
    }

    [Fact]
    public async Task UK_mammography_rule_does_not_apply_to_other_modalities()
    {
        var policy = await LoadAsync("uk-nhs-england.json");

        var decision = policy.Evaluate(Facts("GB-ENG", "2021-07-01", "1965-02-02", modality: "mg "));

        // Modality values are compared after trimming and upper-casing, as DICOM CS values are padded.
        Assert.Equal("uk-screening-mg-10y", decision.DecidedBy.Rule.Id);
        Assert.DoesNotContain(policy.Evaluate(Facts("GB-ENG", "2021-07-01", "1965-02-02", modality: "CR")).Candidates,
            c => c.Rule.Id == "uk-screening-mg-10y");
    }

    [Fact]
    public async Task Germany_adult_examination_is_kept_10_years()
    {
        var policy = await LoadAsync("de-strlschg.json");

        var decision = policy.Evaluate(Facts("DE", "2019-11-30", "1955-12-24"));

        Assert.Equal(D("2029-11-30"), decision.RetainUntil);
        Assert.Equal("de-exam-10y", decision.DecidedBy.Rule.Id);
    }

    [Fact]
    public async Task Germany_minor_examination_is_kept_until_the_28th_birthday()
    {
        var policy = await LoadAsync("de-strlschg.json");

        var decision = policy.Evaluate(Facts("DE", "2019-11-30", "2002-01-15"));

        Assert.Equal(D("2030-01-15"), decision.RetainUntil);
        Assert.Equal("de-minor-until-28", decision.DecidedBy.Rule.Id);
    }

    [Fact]
    public async Task Germany_rules_apply_to_federal_states()
    {
        var policy = await LoadAsync("de-strlschg.json");

        var decision = policy.Evaluate(Facts("de-hh", "2019-11-30", "1955-12-24"));

        Assert.Equal("de-exam-10y", decision.DecidedBy.Rule.Id);
    }

    [Fact]
    public async Task Default_applies_only_when_no_jurisdiction_rule_does()
    {
        var policy = await LoadAsync("us-california.json", "uk-nhs-england.json", "de-strlschg.json", "default.json");

        var california = policy.Evaluate(Facts("US-CA", "2020-03-15", "1970-05-01"));
        var france = policy.Evaluate(Facts("FR", "2020-03-15", "1970-05-01"));

        Assert.Equal(D("2027-03-15"), california.RetainUntil);
        Assert.False(california.UsedFallback);
        Assert.Equal(D("2030-03-15"), france.RetainUntil);
        Assert.Equal("default-10y", france.DecidedBy.Rule.Id);
        Assert.True(france.UsedFallback);
    }

    [Fact]
    public async Task An_exam_on_a_leap_day_ends_on_1_March_not_28_February()
    {
        var policy = await LoadAsync("us-california.json");

        var decision = policy.Evaluate(Facts("US-CA", "2020-02-29", "1970-05-01"));

        Assert.Equal(D("2027-03-01"), decision.RetainUntil);
    }

    [Fact]
    public async Task A_leap_day_birth_reaches_the_age_floor_on_1_March()
    {
        var policy = await LoadAsync("us-california.json");

        var decision = policy.Evaluate(Facts("US-CA", "2010-05-05", "2008-02-29"));

        Assert.Equal(D("2027-03-01"), decision.RetainUntil);
        Assert.Equal("us-ca-minor-until-19", decision.DecidedBy.Rule.Id);
    }

    [Fact]
    public async Task Unknown_birth_date_keeps_as_long_as_for_a_newborn_patient()
    {
        var policy = await LoadAsync("uk-nhs-england.json");

        var decision = policy.Evaluate(Facts("GB-ENG", "2021-07-01", born: null));

        Assert.Equal(D("2046-07-01"), decision.RetainUntil);
        Assert.Equal("uk-child-until-25", decision.DecidedBy.Rule.Id);
        Assert.Contains(RetentionAssumption.BirthDateUnknownAssumedYoungest, decision.Assumptions);
        // Every age branch was considered: the adult, child and age-17 rules all appear.
        Assert.Equal(3, decision.Candidates.Count);
        // The age-17 branch is bounded by the youngest 17-year-old: 26th birthday = exam + 9 years.
        Assert.Equal(D("2030-07-01"), decision.Candidates.Single(c => c.Rule.Id == "uk-age17-until-26").RetainUntil);
    }

    [Fact]
    public async Task Unknown_birth_date_in_Germany_keeps_until_exam_plus_28_years()
    {
        var policy = await LoadAsync("de-strlschg.json");

        var decision = policy.Evaluate(Facts("DE", "2019-11-30", born: null));

        Assert.Equal(D("2047-11-30"), decision.RetainUntil);
    }

    [Fact]
    public async Task Birth_date_after_the_exam_is_treated_as_unknown()
    {
        var policy = await LoadAsync("us-california.json");

        var decision = policy.Evaluate(Facts("US-CA", "2020-03-15", "2021-01-01"));

        Assert.Equal(D("2039-03-15"), decision.RetainUntil);
        Assert.Contains(RetentionAssumption.BirthDateAfterExamIgnored, decision.Assumptions);
        Assert.Contains(RetentionAssumption.BirthDateUnknownAssumedYoungest, decision.Assumptions);
    }

    [Fact]
    public async Task Unknown_exam_date_counts_from_the_ingest_date()
    {
        var policy = await LoadAsync("de-strlschg.json");

        var decision = policy.Evaluate(new RetentionFacts
        {
            IngestDate = D("2025-01-10"),
            BirthDate = D("1960-01-01"),
            Jurisdiction = "DE",
        });

        Assert.Equal(D("2035-01-10"), decision.RetainUntil);
        Assert.Equal([RetentionAssumption.ExamDateUnknownUsedIngestDate], decision.Assumptions);
    }

    [Fact]
    public async Task Unknown_modality_considers_modality_specific_rules()
    {
        var policy = await LoadAsync("uk-nhs-england.json");

        var decision = policy.Evaluate(Facts("GB-ENG", "2021-07-01", "1965-02-02", modality: null));

        Assert.Equal("uk-screening-mg-10y", decision.DecidedBy.Rule.Id);
        Assert.Contains(RetentionAssumption.ModalityUnknownAllConsidered, decision.Assumptions);
    }

    [Fact]
    public async Task Unknown_jurisdiction_considers_every_jurisdiction()
    {
        var policy = await LoadAsync("us-california.json", "de-strlschg.json", "default.json");

        var decision = policy.Evaluate(Facts("", "2020-01-01", "1980-01-01"));

        Assert.Equal(D("2030-01-01"), decision.RetainUntil);
        Assert.Equal("de-exam-10y", decision.DecidedBy.Rule.Id);
        Assert.Contains(RetentionAssumption.JurisdictionUnknownAllConsidered, decision.Assumptions);
    }

    [Fact]
    public async Task No_applicable_rule_is_a_typed_error()
    {
        var policy = await LoadAsync("us-california.json");

        var ex = Assert.Throws<RetentionEvaluationException>(() => policy.Evaluate(Facts("FR", "2020-03-15", "1970-05-01")));
        Assert.Contains("'FR'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explanation_names_the_rule_and_carries_no_patient_dates()
    {
        var policy = await LoadAsync("us-california.json");

        var explanation = policy.Evaluate(Facts("US-CA", "2020-03-15", "2015-06-01")).Explain();

        Assert.Equal("rule us-ca-minor-until-19 (US-California): until age 19", explanation);
    }
}
