using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudArchive.Core.Policies;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Minimization;

/// <summary>
/// Loads a minimization policy file (schema <c>cloudarchive/minimization-policy/v1</c>, documented in
/// docs/ingest-foundations.md). Keywords and tags are resolved against the DICOM dictionary at load time;
/// unknown keywords, private tags, and attributes the archive itself depends on are errors, each reported
/// with its JSON path.
/// </summary>
public static partial class MinimizationPolicyLoader
{
    /// <summary>The value the <c>schema</c> property must have.</summary>
    public const string SchemaId = "cloudarchive/minimization-policy/v1";

    /// <summary>
    /// Attributes no policy may remove, with the reason: the archive needs them to identify, file, retain
    /// and render the instance. Group 0002 (file meta information) and group 0028 (image pixel
    /// description) are protected as whole groups.
    /// </summary>
    public static IReadOnlyDictionary<DicomTag, string> ProtectedAttributes { get; } = new Dictionary<DicomTag, string>
    {
        [DicomTags.SpecificCharacterSet] = "it defines how every text value is decoded",
        [DicomTags.SOPClassUID] = "it identifies the SOP class",
        [DicomTags.SOPInstanceUID] = "it identifies the instance (instance key)",
        [DicomTags.StudyDate] = "retention counts from the study date",
        [DicomTags.Modality] = "policies select rules by modality",
        [DicomTags.PatientID] = "the patient pseudonym is derived from it",
        [DicomTags.PatientBirthDate] = "retention of minors' records depends on it",
        [DicomTags.StudyInstanceUID] = "it identifies the study (study key)",
        [DicomTags.SeriesInstanceUID] = "it identifies the series",
        [DicomTags.PixelData] = "it is the image",
    };

    /// <summary>Loads and validates a policy file.</summary>
    /// <exception cref="PolicyValidationException">The file is missing, unreadable or invalid.</exception>
    public static async Task<MinimizationPolicy> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyValidationException("minimization", [new PolicyValidationError(path, "$", $"cannot read the file: {ex.GetType().Name}: {ex.Message}")]);
        }

        return Parse(json, path);
    }

    /// <summary>Parses and validates a policy document.</summary>
    /// <exception cref="PolicyValidationException">The document is invalid.</exception>
    public static MinimizationPolicy Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        var reader = new PolicyJsonReader(source);
        var policy = Read(reader, json);
        if (reader.HasErrors || policy is null)
        {
            throw new PolicyValidationException("minimization", reader.Errors.Count > 0 ? reader.Errors : [new PolicyValidationError(source, "$", "invalid policy")]);
        }

        return policy;
    }

    private static MinimizationPolicy? Read(PolicyJsonReader reader, string json)
    {
        using var document = reader.Parse(json);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        if (!reader.ExpectObject(root, "$", "schema", "name", "description", "rules", "privateCreators"))
        {
            return null;
        }

        reader.ExpectSchema(root, SchemaId);

        var name = reader.String(root, "$", "name", required: true);
        reader.String(root, "$", "description", required: false);

        var rules = new List<MinimizationRule>();
        if (!root.TryGetProperty("rules", out var rulesElement))
        {
            reader.Error("$.rules", "required property is missing (use [] for a policy that only filters private creators)");
        }
        else if (rulesElement.ValueKind != JsonValueKind.Array)
        {
            reader.Error("$.rules", $"expected an array of rules, found {PolicyJsonReader.Describe(rulesElement.ValueKind)}");
        }
        else
        {
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var ruleElement in rulesElement.EnumerateArray())
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"$.rules[{index++}]");
                var rule = ReadRule(reader, ruleElement, path);
                if (rule is null)
                {
                    continue;
                }

                if (ids.TryGetValue(rule.Id, out var first))
                {
                    reader.Error($"{path}.id", $"rule id '{rule.Id}' is already used at {first}");
                    continue;
                }

                ids[rule.Id] = path;
                rules.Add(rule);
            }
        }

        IReadOnlyCollection<string>? kept = null;
        if (root.TryGetProperty("privateCreators", out var privateElement) && privateElement.ValueKind != JsonValueKind.Null)
        {
            if (reader.ExpectObject(privateElement, "$.privateCreators", "keep", "description"))
            {
                reader.String(privateElement, "$.privateCreators", "description", required: false);
                var items = reader.StringArray(privateElement, "$.privateCreators", "keep", allowEmpty: true);
                if (items is null)
                {
                    reader.Error("$.privateCreators.keep", "required property is missing ([] removes all private data; omit privateCreators to keep it all)");
                }
                else
                {
                    var list = new List<string>();
                    foreach (var (value, itemPath) in items)
                    {
                        var creator = value.Trim();
                        if (creator.Length == 0 || creator.Length > 64 || creator.Any(c => c < ' ' || c == '\\' || c > '~'))
                        {
                            reader.Error(itemPath, "a private creator is 1 to 64 printable ASCII characters without '\\' (LO value)");
                        }
                        else if (list.Contains(creator, StringComparer.OrdinalIgnoreCase))
                        {
                            reader.Error(itemPath, $"'{creator}' is listed twice");
                        }
                        else
                        {
                            list.Add(creator);
                        }
                    }

                    kept = list;
                }
            }
        }

        return name is null ? null : new MinimizationPolicy(name, rules, kept);
    }

    private static MinimizationRule? ReadRule(PolicyJsonReader reader, JsonElement element, string path)
    {
        if (!reader.ExpectObject(element, path, "id", "description", "when", "remove"))
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

        IReadOnlyList<string>? modalities = null;
        IReadOnlyList<string>? sopClasses = null;
        if (element.TryGetProperty("when", out var when) && when.ValueKind != JsonValueKind.Null)
        {
            var whenPath = $"{path}.when";
            if (reader.ExpectObject(when, whenPath, "modalities", "sopClasses"))
            {
                modalities = reader.CodeArray(when, whenPath, "modalities", ModalityPattern(), "a DICOM Modality value in uppercase such as CT or MG");
                sopClasses = reader.CodeArray(when, whenPath, "sopClasses", DicomUid.IsValid, "a SOP Class UID (digits and dots, at most 64 characters)");
            }
        }

        var targets = new List<MinimizationTarget>();
        var removeItems = reader.StringArray(element, path, "remove", allowEmpty: false);
        if (removeItems is null && !element.TryGetProperty("remove", out _))
        {
            reader.Error($"{path}.remove", "required property is missing");
        }

        foreach (var (value, itemPath) in removeItems ?? [])
        {
            var target = Resolve(reader, value, itemPath);
            if (target is null)
            {
                continue;
            }

            if (targets.Any(t => t.Tag == target.Tag && t.Mask == target.Mask))
            {
                reader.Error(itemPath, $"{target.Label} is listed twice");
                continue;
            }

            targets.Add(target);
        }

        if (reader.Errors.Count > before || id is null || description is null)
        {
            return null;
        }

        return new MinimizationRule { Id = id, Description = description, Modalities = modalities, SopClasses = sopClasses, Remove = targets };
    }

    private static MinimizationTarget? Resolve(PolicyJsonReader reader, string text, string path)
    {
        DicomTag tag;
        uint mask = 0xFFFFFFFF;
        string label;
        if (text.StartsWith('(') || (text.Length > 0 && char.IsAsciiDigit(text[0])))
        {
            if (!DicomTag.TryParse(text, out tag))
            {
                reader.Error(path, $"'{text}' is not a tag; write (gggg,eeee) with hexadecimal digits");
                return null;
            }

            var keyword = DicomDictionary.GetKeyword(tag);
            label = keyword is null ? tag.ToString() : $"{keyword} {tag}";
        }
        else
        {
            var entry = DicomDictionary.Lookup(text);
            if (entry is null)
            {
                var hint = DicomDictionary.Entries.FirstOrDefault(e => string.Equals(e.Keyword, text, StringComparison.OrdinalIgnoreCase));
                reader.Error(path, hint is null
                    ? $"'{text}' is not a DICOM keyword (PS3.6); use the exact keyword or a tag (gggg,eeee)"
                    : $"'{text}' is not a DICOM keyword; did you mean '{hint.Keyword}'?");
                return null;
            }

            tag = entry.Tag;
            mask = entry.Mask;
            label = $"{entry.Keyword} {entry.Tag}";
        }

        if (tag.IsPrivate)
        {
            reader.Error(path, $"{label} is private; private data is controlled by privateCreators.keep");
            return null;
        }

        if (tag.Group == 0x0002 || tag.Group == 0x0028 || tag.IsGroupLength || tag.IsItemOrDelimiter || (tag.Group & 1) == 1)
        {
            reader.Error(path, $"{label} cannot be removed: file meta information, image pixel description, group lengths, delimiters and illegal groups are structural");
            return null;
        }

        foreach (var (protectedTag, reason) in ProtectedAttributes)
        {
            if ((protectedTag.Value & mask) == tag.Value)
            {
                reader.Error(path, $"{label} cannot be removed: {reason}");
                return null;
            }
        }

        return new MinimizationTarget(tag, mask, label);
    }

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A[a-z0-9][a-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex RuleIdPattern();

    [GeneratedRegex(@"\A[A-Z0-9_]{1,16}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ModalityPattern();
}
