using CloudArchive.Core.Policies;
using CloudArchive.Core.Retention;
using Xunit;

namespace CloudArchive.Core.Tests.Retention;

public sealed class RetentionPolicyLoaderTests
{
    private const string Header = "\"schema\": \"cloudarchive/retention-policy/v1\", \"name\": \"T\"";

    private static PolicyValidationException Invalid(string json) =>
        Assert.Throws<PolicyValidationException>(() => RetentionPolicyLoader.Parse(json, "test.json"));

    private static string WithRules(string rules) => "{" + Header + ", \"rules\": [" + rules + "]}";

    [Theory]
    [InlineData("default.json", 1)]
    [InlineData("us-california.json", 2)]
    [InlineData("uk-nhs-england.json", 4)]
    [InlineData("de-strlschg.json", 2)]
    public async Task Every_shipped_rule_set_loads_and_cites_its_source(string file, int ruleCount)
    {
        var policy = await ShippedPolicies.LoadAsync(file);

        Assert.Equal(ruleCount, policy.Rules.Count);
        Assert.All(policy.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
        Assert.All(policy.Rules, r => Assert.Equal(ShippedPolicies.File(file), r.SourceFile));
    }

    [Fact]
    public void A_valid_rule_is_read_with_all_its_fields()
    {
        var policy = RetentionPolicyLoader.Parse(WithRules("""
            { "id": "r1", "description": "d", "source": "s", "trigger": "birthDate", "period": "P18M", "untilAge": 21,
              "fallback": false, "when": { "jurisdictions": ["US-CA", "US-NY"], "modalities": ["MG"], "minorAtExam": true, "ageAtExam": { "min": 2, "max": 16 } } }
            """), "test.json");

        var rule = Assert.Single(policy.Rules);
        Assert.Equal(RetentionTrigger.BirthDate, rule.Trigger);
        Assert.Equal(IsoPeriod.Parse("P18M"), rule.Period);
        Assert.Equal(21, rule.UntilAge);
        Assert.Equal(["US-CA", "US-NY"], rule.When.Jurisdictions);
        Assert.Equal(["MG"], rule.When.Modalities);
        Assert.True(rule.When.MinorAtExam);
        Assert.Equal(2, rule.When.MinAgeAtExam);
        Assert.Equal(16, rule.When.MaxAgeAtExam);
        Assert.Equal("birthDate + P18M; until age 21", rule.Formula);
    }

    [Fact]
    public void Malformed_json_reports_the_line()
    {
        var ex = Invalid("{\n \"schema\": \"cloudarchive/retention-policy/v1\",\n \"name\": }");

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$", error.Path);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Equal("test.json", error.Source);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_rejected()
    {
        Invalid("{" + Header + ", \"rules\": [], }");
        Invalid("{ // c\n" + Header + ", \"rules\": [] }");
    }

    [Fact]
    public void Duplicate_properties_are_rejected()
    {
        var ex = Invalid(WithRules("""{ "id": "a", "description": "d", "period": "P1Y", "period": "P10Y" }"""));

        Assert.Contains("period", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Misspelt_property_is_reported_with_its_path()
    {
        var ex = Invalid(WithRules("""{ "id": "a", "description": "d", "period": "P1Y", "untilage": 25 }"""));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.rules[0].untilage", error.Path);
        Assert.Contains("unknown property", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_period_is_reported_with_the_reason()
    {
        var ex = Invalid(WithRules("""{ "id": "a", "description": "d", "period": "P1.5Y" }"""));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.rules[0].period", error.Path);
        Assert.Contains("fractions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurdly_long_period_is_rejected()
    {
        var ex = Invalid(WithRules("""{ "id": "a", "description": "d", "period": "P2500M" }"""));

        Assert.Contains("longer than 200 years", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_errors_of_a_file_are_reported_together()
    {
        var ex = Invalid(WithRules("""
            { "id": "Bad Id", "description": "d", "period": "10Y" },
            { "id": "b", "description": "d", "trigger": "dischargeDate", "period": "P1Y" },
            { "id": "c", "description": "d" },
            { "id": "d", "description": "d", "period": "P1Y", "when": { "jurisdictions": ["california"], "modalities": [] } },
            { "id": "e", "description": "d", "untilAge": 0 }
            """));

        var paths = ex.Errors.Select(e => e.Path).ToArray();
        Assert.Equal(
            ["$.rules[0].id", "$.rules[0].period", "$.rules[1].trigger", "$.rules[2]", "$.rules[3].when.jurisdictions[0]", "$.rules[3].when.modalities", "$.rules[4].untilAge"],
            paths);
        Assert.Contains("test.json: $.rules[1].trigger: unknown trigger 'dischargeDate'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trigger_without_period_is_rejected()
    {
        var ex = Invalid(WithRules("""{ "id": "a", "description": "d", "trigger": "examDate", "untilAge": 25 }"""));

        Assert.Equal("$.rules[0].trigger", Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public void Contradictory_age_conditions_are_rejected()
    {
        var ex = Invalid(WithRules("""
            { "id": "a", "description": "d", "untilAge": 25, "when": { "minorAtExam": true, "ageAtExam": { "min": 18 } } },
            { "id": "b", "description": "d", "period": "P1Y", "when": { "minorAtExam": false, "ageAtExam": { "max": 10 } } },
            { "id": "c", "description": "d", "period": "P1Y", "when": { "ageAtExam": { "min": 10, "max": 5 } } },
            { "id": "e", "description": "d", "period": "P1Y", "when": { "ageAtExam": { } } }
            """));

        Assert.Equal(["$.rules[0].when", "$.rules[1].when", "$.rules[2].when.ageAtExam", "$.rules[3].when.ageAtExam"], ex.Errors.Select(e => e.Path));
        Assert.Contains("can never apply", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_schema_missing_name_and_empty_rules_are_reported()
    {
        var ex = Invalid("""{ "schema": "retention/v0", "rules": [] }""");

        Assert.Equal(["$.schema", "$.name", "$.rules"], ex.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Wrong_types_are_reported()
    {
        var ex = Invalid("""{ "schema": "cloudarchive/retention-policy/v1", "name": "T", "ageOfMajority": "18", "rules": {} }""");

        Assert.Equal(["$.ageOfMajority", "$.rules"], ex.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Duplicate_ids_across_files_name_both_places()
    {
        var a = WithRules("""{ "id": "same", "description": "d", "period": "P1Y" }""");

        var ex = Assert.Throws<PolicyValidationException>(() => RetentionPolicyLoader.Parse([(a, "a.json"), (a, "b.json")]));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("b.json", error.Source);
        Assert.Contains("a.json: $.rules[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_is_a_policy_error_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "cloudarchive-no-such-policy-" + Guid.NewGuid().ToString("N") + ".json");

        var ex = await Assert.ThrowsAsync<PolicyValidationException>(() =>
            RetentionPolicyLoader.LoadFilesAsync([path], TestContext.Current.CancellationToken));

        Assert.Equal(path, Assert.Single(ex.Errors).Source);
    }

    [Fact]
    public async Task No_files_is_a_policy_error()
    {
        await Assert.ThrowsAsync<PolicyValidationException>(() =>
            RetentionPolicyLoader.LoadFilesAsync([], TestContext.Current.CancellationToken));
    }
}
