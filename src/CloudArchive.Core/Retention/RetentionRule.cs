namespace CloudArchive.Core.Retention;

/// <summary>
/// One retention rule: the record is kept at least until <see cref="Trigger"/> + <see cref="Period"/> and,
/// when <see cref="UntilAge"/> is set, at least until the patient's birthday of that age. A rule with both
/// yields the later of the two dates. Rules are combined across a policy by taking the latest deadline.
/// </summary>
public sealed record RetentionRule
{
    /// <summary>Unique id across all loaded policies (appears in explanations and audit details).</summary>
    public required string Id { get; init; }

    /// <summary>What the rule says, for people.</summary>
    public required string Description { get; init; }

    /// <summary>The legal or professional source the figures come from.</summary>
    public string? Source { get; init; }

    /// <summary>When the rule applies.</summary>
    public RetentionConditions When { get; init; } = RetentionConditions.Any;

    /// <summary>The date <see cref="Period"/> counts from.</summary>
    public RetentionTrigger Trigger { get; init; } = RetentionTrigger.ExamDate;

    /// <summary>The minimum period after <see cref="Trigger"/>, if any.</summary>
    public IsoPeriod? Period { get; init; }

    /// <summary>Keep at least until the patient reaches this age, if set.</summary>
    public int? UntilAge { get; init; }

    /// <summary>A fallback rule is considered only when no ordinary rule applies (e.g. a 10-year default).</summary>
    public bool Fallback { get; init; }

    /// <summary>The age of majority used for <see cref="RetentionConditions.MinorAtExam"/> (from the policy file).</summary>
    public int AgeOfMajority { get; init; } = 18;

    /// <summary>The name of the policy the rule came from.</summary>
    public string PolicyName { get; init; } = string.Empty;

    /// <summary>The file (or label) the rule was loaded from.</summary>
    public string SourceFile { get; init; } = string.Empty;

    /// <summary>A short, date-free description of how the rule computes its deadline, e.g.
    /// <c>examDate + P7Y; until age 19</c>.</summary>
    public string Formula
    {
        get
        {
            var parts = new List<string>(2);
            if (Period is { } period)
            {
                parts.Add($"{TriggerName(Trigger)} + {period}");
            }

            if (UntilAge is { } age)
            {
                parts.Add($"until age {age}");
            }

            return string.Join("; ", parts);
        }
    }

    internal static string TriggerName(RetentionTrigger trigger) => trigger switch
    {
        RetentionTrigger.ExamDate => "examDate",
        RetentionTrigger.BirthDate => "birthDate",
        RetentionTrigger.IngestDate => "ingestDate",
        _ => trigger.ToString(),
    };
}
