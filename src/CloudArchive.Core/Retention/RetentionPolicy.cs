namespace CloudArchive.Core.Retention;

/// <summary>
/// A set of retention rules, possibly from several files, evaluated as: every applicable ordinary rule
/// gives a deadline and the latest wins; fallback rules are used only when no ordinary rule applies.
/// </summary>
public sealed class RetentionPolicy
{
    /// <summary>Creates a policy from rules (ids must be unique).</summary>
    public RetentionPolicy(IReadOnlyList<RetentionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var duplicate = rules.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Rule id '{duplicate.Key}' is used more than once.", nameof(rules));
        }

        foreach (var rule in rules)
        {
            if (rule.Period is null && rule.UntilAge is null)
            {
                throw new ArgumentException($"Rule '{rule.Id}' has neither a period nor an until-age.", nameof(rules));
            }
        }

        Rules = rules;
    }

    /// <summary>The rules in declaration order (files in the order given, rules in file order).</summary>
    public IReadOnlyList<RetentionRule> Rules { get; }

    /// <summary>Computes the retention date for an instance.</summary>
    /// <exception cref="RetentionEvaluationException">No rule applies.</exception>
    public RetentionDecision Evaluate(RetentionFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var assumptions = new List<RetentionAssumption>();

        var examDate = facts.ExamDate ?? facts.IngestDate;
        if (facts.ExamDate is null)
        {
            assumptions.Add(RetentionAssumption.ExamDateUnknownUsedIngestDate);
        }

        var birthDate = facts.BirthDate;
        if (birthDate is { } b && b > examDate)
        {
            assumptions.Add(RetentionAssumption.BirthDateAfterExamIgnored);
            birthDate = null;
        }

        var jurisdiction = string.IsNullOrWhiteSpace(facts.Jurisdiction) ? null : facts.Jurisdiction.Trim().ToUpperInvariant();
        var modality = string.IsNullOrWhiteSpace(facts.Modality) ? null : facts.Modality.Trim().ToUpperInvariant();

        var ordinary = new List<RetentionCandidate>();
        var fallback = new List<RetentionCandidate>();
        var usedUnknownBirth = false;
        var usedUnknownJurisdiction = false;
        var usedUnknownModality = false;

        foreach (var rule in Rules)
        {
            var when = rule.When;
            if (when.Jurisdictions is { } jurisdictions)
            {
                if (jurisdiction is null)
                {
                    usedUnknownJurisdiction = true;
                }
                else if (!jurisdictions.Any(j => JurisdictionMatches(j, jurisdiction)))
                {
                    continue;
                }
            }

            if (when.Modalities is { } modalities)
            {
                if (modality is null)
                {
                    usedUnknownModality = true;
                }
                else if (!modalities.Contains(modality, StringComparer.Ordinal))
                {
                    continue;
                }
            }

            DateOnly? effectiveBirth = birthDate;
            if (birthDate is { } knownBirth)
            {
                if (when.DependsOnAge && !AgeMatches(when, rule.AgeOfMajority, CalendarMath.AgeOn(knownBirth, examDate)))
                {
                    continue;
                }
            }
            else if (when.DependsOnAge || rule.UntilAge is not null || rule.Trigger == RetentionTrigger.BirthDate)
            {
                // The latest deadline over every birth date consistent with the rule's age conditions is
                // reached with the youngest such patient.
                effectiveBirth = CalendarMath.LatestBirthDateForAge(examDate, when.SmallestAge(rule.AgeOfMajority));
                usedUnknownBirth = true;
            }

            var date = DateOnly.MinValue;
            if (rule.Period is { } period)
            {
                var start = rule.Trigger switch
                {
                    RetentionTrigger.ExamDate => examDate,
                    RetentionTrigger.IngestDate => facts.IngestDate,
                    RetentionTrigger.BirthDate => effectiveBirth!.Value,
                    _ => throw new InvalidOperationException($"Unknown trigger {rule.Trigger}."),
                };
                date = period.AddTo(start);
            }

            if (rule.UntilAge is { } untilAge)
            {
                var birthday = CalendarMath.Birthday(effectiveBirth!.Value, untilAge);
                if (birthday > date)
                {
                    date = birthday;
                }
            }

            (rule.Fallback ? fallback : ordinary).Add(new RetentionCandidate(rule, date));
        }

        var candidates = ordinary.Count > 0 ? ordinary : fallback;
        if (candidates.Count == 0)
        {
            throw new RetentionEvaluationException(
                $"No retention rule applies (jurisdiction '{jurisdiction ?? "unknown"}', modality '{modality ?? "unknown"}'). "
                + "Add rules for this jurisdiction or a fallback rule to the retention policy.");
        }

        if (usedUnknownBirth)
        {
            assumptions.Add(RetentionAssumption.BirthDateUnknownAssumedYoungest);
        }

        if (usedUnknownJurisdiction)
        {
            assumptions.Add(RetentionAssumption.JurisdictionUnknownAllConsidered);
        }

        if (usedUnknownModality)
        {
            assumptions.Add(RetentionAssumption.ModalityUnknownAllConsidered);
        }

        var decided = candidates[0];
        foreach (var candidate in candidates)
        {
            if (candidate.RetainUntil > decided.RetainUntil)
            {
                decided = candidate;
            }
        }

        return new RetentionDecision
        {
            RetainUntil = decided.RetainUntil,
            DecidedBy = decided,
            Candidates = candidates,
            Assumptions = assumptions,
        };
    }

    private static bool AgeMatches(RetentionConditions when, int ageOfMajority, int age)
    {
        if (when.MinorAtExam is { } minor && minor != (age < ageOfMajority))
        {
            return false;
        }

        if (when.MinAgeAtExam is { } min && age < min)
        {
            return false;
        }

        return when.MaxAgeAtExam is not { } max || age <= max;
    }

    private static bool JurisdictionMatches(string ruleCode, string factCode) =>
        string.Equals(ruleCode, factCode, StringComparison.Ordinal)
        || (ruleCode.Length == 2 && factCode.Length > 3 && factCode[2] == '-' && factCode.StartsWith(ruleCode, StringComparison.Ordinal));
}
