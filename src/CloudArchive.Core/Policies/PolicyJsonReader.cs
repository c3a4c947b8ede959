using System.Globalization;
using System.Text.Json;

namespace CloudArchive.Core.Policies;

/// <summary>
/// Strict reading of policy JSON with error collection. Unknown properties are errors (a misspelt
/// <c>untilage</c> must not silently shorten a retention period), duplicate properties, comments and
/// trailing commas are rejected, and every error carries the JSON path it concerns.
/// </summary>
internal sealed class PolicyJsonReader
{
    private readonly List<PolicyValidationError> _errors = [];

    public PolicyJsonReader(string source)
    {
        Source = source;
    }

    public string Source { get; }

    public IReadOnlyList<PolicyValidationError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>The parse options every policy file is read with.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 32,
    };

    public void Error(string path, string message) => _errors.Add(new PolicyValidationError(Source, path, message));

    /// <summary>Parses the document; on malformed JSON records one error with line/position and returns null.</summary>
    public JsonDocument? Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}")
                : "unknown position";
            Error("$", $"not valid JSON ({where}): {FirstSentence(ex.Message)}");
            return null;
        }
    }

    /// <summary>Checks that <paramref name="element"/> is an object with only the allowed properties.</summary>
    public bool ExpectObject(JsonElement element, string path, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(path, $"expected an object, found {Describe(element.ValueKind)}");
            return false;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                Error($"{path}.{property.Name}", $"unknown property; allowed here: {string.Join(", ", allowed)}");
            }
        }

        return true;
    }

    public string? String(JsonElement obj, string path, string name, bool required)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error($"{path}.{name}", "required property is missing");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error($"{path}.{name}", $"expected a string, found {Describe(value.ValueKind)}");
            return null;
        }

        var text = value.GetString()!;
        if (required && text.Trim().Length == 0)
        {
            Error($"{path}.{name}", "must not be empty");
            return null;
        }

        return text;
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

    public bool? Boolean(JsonElement obj, string path, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error($"{path}.{name}", $"expected true or false, found {Describe(value.ValueKind)}");
            return null;
        }

        return value.GetBoolean();
    }

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
    public IReadOnlyList<(string Value, string Path)>? StringArray(JsonElement obj, string path, string name, bool allowEmpty)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var arrayPath = $"{path}.{name}";
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(arrayPath, $"expected an array of strings, found {Describe(value.ValueKind)}");
            return null;
        }

        var result = new List<(string, string)>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index}]");
            if (item.ValueKind != JsonValueKind.String)
            {
                Error(itemPath, $"expected a string, found {Describe(item.ValueKind)}");
            }
            else
            {
                result.Add((item.GetString()!, itemPath));
            }

            index++;
        }

        if (index == 0 && !allowEmpty)
        {
            Error(arrayPath, "must not be empty (omit the property to mean \"any\")");
        }

        return result;
    }

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
