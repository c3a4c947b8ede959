namespace CloudArchive.Core.Retention;

/// <summary>
/// The outcome of evaluating a retention policy: the date, the rule that decided it, every rule that
/// applied and the assumptions made. Intended for the <c>ca_retain_until</c> tag, the instance index and
/// explanations to privacy officers. It holds rule ids and formulas, never the patient's dates.
/// </summary>
public sealed record RetentionDecision
{
    /// <summary>The record must be kept at least until the end of this date (UTC); the latest candidate.</summary>
    public required DateOnly RetainUntil { get; init; }

    /// <summary>The candidate that decided the date (the first declared among equal latest dates).</summary>
    public required RetentionCandidate DecidedBy { get; init; }

    /// <summary>Every applicable rule's deadline, in declaration order.</summary>
    public required IReadOnlyList<RetentionCandidate> Candidates { get; init; }

    /// <summary>Assumptions made for missing or inconsistent facts.</summary>
    public required IReadOnlyList<RetentionAssumption> Assumptions { get; init; }

    /// <summary>True when only fallback rules applied.</summary>
    public bool UsedFallback => DecidedBy.Rule.Fallback;

    /// <summary>A one-line explanation without patient dates, e.g.
    /// <c>rule uk-child (UK-NHS): until age 25; assumptions: BirthDateUnknownAssumedYoungest</c>.</summary>
    public string Explain()
    {
        var text = $"rule {DecidedBy.Rule.Id} ({DecidedBy.Rule.PolicyName}): {DecidedBy.Rule.Formula}";
        return Assumptions.Count == 0 ? text : text + "; assumptions: " + string.Join(", ", Assumptions);
    }
}
