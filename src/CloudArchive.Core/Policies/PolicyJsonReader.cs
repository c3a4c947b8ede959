using System.Globalization;
using System.Text.Json;
using CloudArchive.Core.Serialization;

namespace CloudArchive.Core.Policies;

/// <summary>
/// Strict reading of policy JSON with error collection, on the one strict reader (<see cref="StrictJsonReader"/>).
/// Unknown properties are errors (a misspelt <c>untilage</c> must not silently shorten a retention period),
/// duplicate properties, comments and trailing commas are rejected, and every error carries the JSON path it concerns.
/// </summary>
internal sealed class PolicyJsonReader
{
    private const int MaxDepth = 32;

    private static readonly StrictJsonWording Wording = new()
    {
        InvalidJson = e => $"not valid JSON ({StrictJsonReader.Position(e) ?? "unknown position"}): {FirstSentence(e.Message)}",
        NotAnObject = kind => $"expected an object, found {Describe(kind)}",
        UnknownProperty = allowed => $"unknown property; allowed here: {string.Join(", ", allowed)}",
        Missing = "required property is missing",
        NotAString = kind => $"expected a string, found {Describe(kind)}",
        NotABoolean = kind => $"expected true or false, found {Describe(kind)}",
        NotAnArrayOfStrings = kind => $"expected an array of strings, found {Describe(kind)}",
        EmptyString = "must not be empty",
        EmptyArray = "must not be empty (omit the property to mean \"any\")",
    };

    private readonly List<PolicyValidationError> _errors = [];
    private readonly StrictJsonReader _reader;

    public PolicyJsonReader(string source)
    {
        Source = source;
        _reader = new StrictJsonReader(Wording, MaxDepth, Error);
    }

    public string Source { get; }

    public IReadOnlyList<PolicyValidationError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Error(string path, string message) => _errors.Add(new PolicyValidationError(Source, path, message));

    /// <summary>Parses the document; on malformed JSON records one error with line/position and returns null.</summary>
    public JsonDocument? Parse(string json) => _reader.Parse(json);

    /// <summary>Checks that <paramref name="element"/> is an object with only the allowed properties.</summary>
    public bool ExpectObject(JsonElement element, string path, params string[] allowed) => _reader.ExpectObject(element, path, allowed);

    public string? String(JsonElement obj, string path, string name, bool required) => _reader.String(obj, path, name, required);

    /// <summary>
    /// Checks the envelope every policy document has: an object with only <paramref name="allowed"/> properties, the
    /// schema, a required name and an optional description. False when the root is not an object.
    /// </summary>
    public bool ReadEnvelope(JsonElement root, string schemaId, out string? name, params string[] allowed)
    {
        name = null;
        if (!ExpectObject(root, "$", allowed))
        {
            return false;
        }

        ExpectSchema(root, schemaId);
        name = String(root, "$", "name", required: true);
        String(root, "$", "description", required: false);
        return true;
    }

    /// <summary>The policy's <c>$.rules</c> array; null, with an error, when it is absent (<paramref name="missing"/>) or not an array.</summary>
    public JsonElement? Rules(JsonElement root, string missing)
    {
        if (!root.TryGetProperty("rules", out var rules))
        {
            Error("$.rules", missing);
            return null;
        }

        if (rules.ValueKind != JsonValueKind.Array)
        {
            Error("$.rules", $"expected an array of rules, found {Describe(rules.ValueKind)}");
            return null;
        }

        return rules;
    }

    public int? Integer(JsonElement obj, string path, string name, bool required, int min, int max)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error($"{path}.{name}", "required property is missing");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Error($"{path}.{name}", $"expected an integer, found {Describe(value.ValueKind)} {Raw(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            Error($"{path}.{name}", string.Create(CultureInfo.InvariantCulture, $"{number} is out of range [{min}, {max}]"));
            return null;
        }

        return number;
    }

    public bool? Boolean(JsonElement obj, string path, string name) => _reader.Boolean(obj, path, name);

    /// <summary>Requires <c>$.schema</c> to name <paramref name="schemaId"/>, the only schema version this code reads.</summary>
    public void ExpectSchema(JsonElement root, string schemaId)
    {
        var schema = String(root, "$", "schema", required: true);
        if (schema is not null && schema != schemaId)
        {
            Error("$.schema", $"unsupported schema '{schema}'; expected '{schemaId}'");
        }
    }

    /// <summary>
    /// Reads an optional array of codes (modalities, jurisdictions, UIDs): each must match <paramref name="pattern"/>
    /// and appear once; null when absent.
    /// </summary>
    public IReadOnlyList<string>? CodeArray(JsonElement obj, string path, string name, System.Text.RegularExpressions.Regex pattern, string expected) =>
        CodeArray(obj, path, name, pattern.IsMatch, expected);

    /// <summary>
    /// Reads an optional array of codes: each must satisfy <paramref name="isValid"/> (such as
    /// <see cref="CloudArchive.Dicom.DicomUid.IsValid"/>) and appear once; null when absent.
    /// </summary>
    public IReadOnlyList<string>? CodeArray(JsonElement obj, string path, string name, Func<string, bool> isValid, string expected)
    {
        var items = StringArray(obj, path, name, allowEmpty: false);
        if (items is null)
        {
            return null;
        }

        var codes = new List<string>();
        foreach (var (value, itemPath) in items)
        {
            if (!isValid(value))
            {
                Error(itemPath, $"'{value}' is not {expected}");
            }
            else if (codes.Contains(value, StringComparer.Ordinal))
            {
                Error(itemPath, $"'{value}' is listed twice");
            }
            else
            {
                codes.Add(value);
            }
        }

        return codes;
    }

    /// <summary>Reads an optional array of strings; null when absent, errors for non-strings and empty arrays.</summary>
    public IReadOnlyList<(string Value, string Path)>? StringArray(JsonElement obj, string path, string name, bool allowEmpty) =>
        _reader.StringArray(obj, path, name, allowEmpty);

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Raw(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 40 ? raw : raw[..40] + "...";
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
