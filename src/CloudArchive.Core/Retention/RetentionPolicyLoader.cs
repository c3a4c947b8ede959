using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudArchive.Core.Policies;

namespace CloudArchive.Core.Retention;

/// <summary>
/// Loads retention policy files (schema <c>cloudarchive/retention-policy/v1</c>, documented in
/// docs/ingest-foundations.md) and validates them completely: every problem is reported with the file,
/// the JSON path and what is wrong, in one <see cref="PolicyValidationException"/>.
/// </summary>
public static partial class RetentionPolicyLoader
{
    /// <summary>The value the <c>schema</c> property must have.</summary>
    public const string SchemaId = "cloudarchive/retention-policy/v1";

    /// <summary>The longest total period a rule may give (200 years); longer is treated as a typo.</summary>
    public const int MaxPeriodYears = 200;

    /// <summary>Loads and merges several policy files; rule ids must be unique across all of them.</summary>
    /// <exception cref="PolicyValidationException">A file is missing, unreadable or invalid.</exception>
    public static async Task<RetentionPolicy> LoadFilesAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var sources = new List<(string Text, string Source)>();
        var errors = new List<PolicyValidationError>();
        foreach (var path in paths)
        {
            try
            {
                sources.Add((await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), path));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new PolicyValidationError(path, "$", $"cannot read the file: {ex.GetType().Name}: {ex.Message}"));
            }
        }

        if (sources.Count == 0 && errors.Count == 0)
        {
            errors.Add(new PolicyValidationError("(configuration)", "$", "no retention policy file was given"));
        }

        if (errors.Count > 0)
        {
            throw new PolicyValidationException("retention", errors);
        }

        return Parse(sources);
    }

    /// <summary>Parses one policy document.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="source">A label for error messages, normally the file path.</param>
    /// <exception cref="PolicyValidationException">The document is invalid.</exception>
    public static RetentionPolicy Parse(string json, string source) => Parse([(json, source)]);

    /// <summary>Parses and merges several policy documents (in order).</summary>
    /// <exception cref="PolicyValidationException">A document is invalid or rule ids collide.</exception>
    public static RetentionPolicy Parse(IReadOnlyList<(string Json, string Source)> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var errors = new List<PolicyValidationError>();
        var rules = new List<RetentionRule>();
        var seen = new Dictionary<string, (string Source, string Path)>(StringComparer.Ordinal);
        foreach (var (json, source) in documents)
        {
            var reader = new PolicyJsonReader(source);
            var fileRules = ReadDocument(reader, json);
            foreach (var (rule, path) in fileRules)
            {
                if (seen.TryGetValue(rule.Id, out var first))
                {
                    reader.Error($"{path}.id", $"rule id '{rule.Id}' is already used at {first.Source}: {first.Path}");
                    continue;
                }

                seen[rule.Id] = (source, path);
                rules.Add(rule);
            }

            errors.AddRange(reader.Errors);
        }

        if (errors.Count > 0)
        {
            throw new PolicyValidationException("retention", errors);
        }

        return new RetentionPolicy(rules);
    }

    private static List<(RetentionRule Rule, string Path)> ReadDocument(PolicyJsonReader reader, string json)
    {
        var result = new List<(RetentionRule, string)>();
        using var document = reader.Parse(json);
        if (document is null)
        {
            return result;
        }

        var root = document.RootElement;
        if (!reader.ReadEnvelope(root, SchemaId, out var policyName, "schema", "name", "description", "ageOfMajority", "rules"))
        {
            return result;
        }

        var name = policyName ?? "(unnamed)";
        var majority = reader.Integer(root, "$", "ageOfMajority", required: false, min: 1, max: 30) ?? 18;
        if (reader.Rules(root, "required property is missing") is not { } rulesElement)
        {
            return result;
        }

        var index = 0;
        foreach (var ruleElement in rulesElement.EnumerateArray())
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"$.rules[{index++}]");
            var rule = ReadRule(reader, ruleElement, path, name, majority);
            if (rule is not null)
            {
                result.Add((rule, path));
            }
        }

        if (index == 0)
        {
            reader.Error("$.rules", "a policy needs at least one rule");
        }

        return result;
    }

    private static RetentionRule? ReadRule(PolicyJsonReader reader, JsonElement element, string path, string policyName, int majority)
    {
        if (!reader.ExpectObject(element, path, "id", "description", "source", "when", "trigger", "period", "untilAge", "fallback"))
        {
            return null;
        }

        var before = reader.Errors.Count;
        var id = reader.String(element, path, "id", required: true);
        if (id is not null && !RuleIdPattern().IsMatch(id))
        {
            reader.Error($"{path}.id", $"'{id}' is not a valid rule id (lowercase letters, digits, '.', '_', '-'; at most 64 characters)");
        }

        var description = reader.String(element, path, "description", required: true);
        var source = reader.String(element, path, "source", required: false);
        var triggerText = reader.String(element, path, "trigger", required: false);
        var periodText = reader.String(element, path, "period", required: false);
        var untilAge = reader.Integer(element, path, "untilAge", required: false, min: 1, max: 150);
        var fallback = reader.Boolean(element, path, "fallback") ?? false;

        var trigger = RetentionTrigger.ExamDate;
        if (triggerText is not null)
        {
            switch (triggerText)
            {
                case "examDate": trigger = RetentionTrigger.ExamDate; break;
                case "birthDate": trigger = RetentionTrigger.BirthDate; break;
                case "ingestDate": trigger = RetentionTrigger.IngestDate; break;
                default:
                    reader.Error($"{path}.trigger", $"unknown trigger '{triggerText}'; expected examDate, birthDate or ingestDate");
                    break;
            }

            if (periodText is null)
            {
                reader.Error($"{path}.trigger", "a trigger needs a period to count from it");
            }
        }

        IsoPeriod? period = null;
        if (periodText is not null)
        {
            if (IsoPeriod.TryParse(periodText, out var parsed, out var periodError))
            {
                var approxYears = parsed.Years + (parsed.Months / 12.0) + (((parsed.Weeks * 7.0) + parsed.Days) / 365.0);
                if (approxYears > MaxPeriodYears)
                {
                    reader.Error($"{path}.period", string.Create(CultureInfo.InvariantCulture, $"'{periodText}' is longer than {MaxPeriodYears} years"));
                }
                else
                {
                    period = parsed;
                }
            }
            else
            {
                reader.Error($"{path}.period", periodError);
            }
        }

        if (periodText is null && untilAge is null && !element.TryGetProperty("untilAge", out _))
        {
            reader.Error(path, "a rule needs a period, an untilAge, or both");
        }

        var when = element.TryGetProperty("when", out var whenElement) && whenElement.ValueKind != JsonValueKind.Null
            ? ReadConditions(reader, whenElement, $"{path}.when", majority)
            : RetentionConditions.Any;

        if (reader.Errors.Count > before || id is null || description is null)
        {
            return null;
        }

        return new RetentionRule
        {
            Id = id,
            Description = description,
            Source = source,
            When = when,
            Trigger = trigger,
            Period = period,
            UntilAge = untilAge,
            Fallback = fallback,
            AgeOfMajority = majority,
            PolicyName = policyName,
            SourceFile = reader.Source,
        };
    }

    private static RetentionConditions ReadConditions(PolicyJsonReader reader, JsonElement element, string path, int majority)
    {
        if (!reader.ExpectObject(element, path, "jurisdictions", "modalities", "minorAtExam", "ageAtExam"))
        {
            return RetentionConditions.Any;
        }

        var jurisdictions = reader.CodeArray(element, path, "jurisdictions", JurisdictionPattern(),
            "an ISO 3166 code in uppercase such as US-CA, GB-ENG or DE");
        var modalities = reader.CodeArray(element, path, "modalities", ModalityPattern(),
            "a DICOM Modality value in uppercase such as MG or CT");
        var minor = reader.Boolean(element, path, "minorAtExam");

        int? minAge = null;
        int? maxAge = null;
        if (element.TryGetProperty("ageAtExam", out var age) && age.ValueKind != JsonValueKind.Null)
        {
            var agePath = $"{path}.ageAtExam";
            if (reader.ExpectObject(age, agePath, "min", "max"))
            {
                minAge = reader.Integer(age, agePath, "min", required: false, min: 0, max: 150);
                maxAge = reader.Integer(age, agePath, "max", required: false, min: 0, max: 150);
                if (minAge is null && maxAge is null && !age.TryGetProperty("min", out _) && !age.TryGetProperty("max", out _))
                {
                    reader.Error(agePath, "give min, max or both");
                }

                if (minAge > maxAge)
                {
                    reader.Error(agePath, string.Create(CultureInfo.InvariantCulture, $"min {minAge} is greater than max {maxAge}"));
                }
            }
        }

        if (minor == true && minAge >= majority)
        {
            reader.Error(path, string.Create(CultureInfo.InvariantCulture,
                $"minorAtExam is true but ageAtExam.min {minAge} is not below the age of majority {majority}: the rule can never apply"));
        }

        if (minor == false && maxAge < majority)
        {
            reader.Error(path, string.Create(CultureInfo.InvariantCulture,
                $"minorAtExam is false but ageAtExam.max {maxAge} is below the age of majority {majority}: the rule can never apply"));
        }

        return new RetentionConditions
        {
            Jurisdictions = jurisdictions,
            Modalities = modalities,
            MinorAtExam = minor,
            MinAgeAtExam = minAge,
            MaxAgeAtExam = maxAge,
        };
    }

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A[a-z0-9][a-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex RuleIdPattern();

    [GeneratedRegex(@"\A[A-Z]{2}(-[A-Z0-9]{1,3})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex JurisdictionPattern();

    [GeneratedRegex(@"\A[A-Z0-9_]{1,16}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ModalityPattern();
}
