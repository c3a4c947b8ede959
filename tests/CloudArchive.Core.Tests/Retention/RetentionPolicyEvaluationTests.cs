using CloudArchive.Core.Retention;
using Xunit;
using static CloudArchive.Core.Tests.Retention.ShippedPolicies;

namespace CloudArchive.Core.Tests.Retention;

public sealed class RetentionPolicyEvaluationTests
{
    private static RetentionRule Rule(string id, string period, bool fallback = false) => new()
    {
        Id = id,
        Description = id,
        Period = IsoPeriod.Parse(period),
        Fallback = fallback,
        PolicyName = "test",
    };

    [Fact]
    public void Equal_deadlines_are_decided_by_the_first_declared_rule()
    {
        var policy = new RetentionPolicy([Rule("a", "P12M"), Rule("b", "P1Y")]);

        var decision = policy.Evaluate(new RetentionFacts { IngestDate = D("2020-01-01"), ExamDate = D("2020-01-01") });

        Assert.Equal("a", decision.DecidedBy.Rule.Id);
        Assert.Equal(D("2021-01-01"), decision.RetainUntil);
    }

    [Fact]
    public void The_latest_deadline_wins_whatever_the_order()
    {
        var policy = new RetentionPolicy([Rule("short", "P5Y"), Rule("long", "P30Y"), Rule("mid", "P10Y")]);

        var decision = policy.Evaluate(new RetentionFacts { IngestDate = D("2020-01-01"), ExamDate = D("2020-01-01") });

        Assert.Equal("long", decision.DecidedBy.Rule.Id);
    }

    [Fact]
    public void Birth_date_trigger_counts_from_the_birth_date()
    {
        var policy = new RetentionPolicy([Rule("b", "P50Y") with { Trigger = RetentionTrigger.BirthDate }]);

        var decision = policy.Evaluate(new RetentionFacts { IngestDate = D("2020-01-01"), ExamDate = D("2020-01-01"), BirthDate = D("1990-05-05") });

        Assert.Equal(D("2040-05-05"), decision.RetainUntil);
    }

    [Fact]
    public void Ingest_date_trigger_counts_from_the_ingest_date()
    {
        var policy = new RetentionPolicy([Rule("i", "P1Y") with { Trigger = RetentionTrigger.IngestDate }]);

        var decision = policy.Evaluate(new RetentionFacts { IngestDate = D("2024-06-01"), ExamDate = D("2001-01-01") });

        Assert.Equal(D("2025-06-01"), decision.RetainUntil);
    }

    [Fact]
    public void Rules_without_period_and_age_are_refused()
    {
        var rule = new RetentionRule { Id = "x", Description = "x" };

        Assert.Throws<ArgumentException>(() => new RetentionPolicy([rule]));
    }

    [Fact]
    public void Duplicate_rule_ids_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new RetentionPolicy([Rule("a", "P1Y"), Rule("a", "P2Y")]));
    }
}
