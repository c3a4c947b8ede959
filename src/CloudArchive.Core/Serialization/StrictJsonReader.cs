using System.Globalization;
using System.Text.Json;

namespace CloudArchive.Core.Serialization;

/// <summary>
/// The one strict reader of hand-validated JSON documents (policies, agreements, consents): no comments, no trailing
/// commas, no duplicate properties, a depth limit, no unknown properties, and a typed finding for every value of the
/// wrong kind, each with the JSON path it concerns. Findings go to the caller's <c>report</c> callback, which either
/// throws the caller's typed exception (the first finding ends the read) or collects them (the reader carries on and
/// returns null for what it could not read). Messages come from the caller's <see cref="StrictJsonWording"/>.
/// </summary>
public sealed class StrictJsonReader
{
    private readonly Action<string, string> _report;

    /// <summary>Creates a reader.</summary>
    /// <param name="wording">The messages findings are reported with.</param>
    /// <param name="maxDepth">The deepest nesting a document may have.</param>
    /// <param name="report">Receives each finding as (JSON path, message); may throw.</param>
    public StrictJsonReader(StrictJsonWording wording, int maxDepth, Action<string, string> report)
    {
        Wording = wording ?? throw new ArgumentNullException(nameof(wording));
        _report = report ?? throw new ArgumentNullException(nameof(report));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        DocumentOptions = new JsonDocumentOptions
        {
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowDuplicateProperties = false,
            MaxDepth = maxDepth,
        };
    }

    /// <summary>The messages findings are reported with.</summary>
    public StrictJsonWording Wording { get; }

    /// <summary>The parse options: no comments, no trailing commas, no duplicate properties, the depth limit.</summary>
    public JsonDocumentOptions DocumentOptions { get; }

    /// <summary>The line and byte (both from 1) of a parse failure, or null when the exception does not say.</summary>
    public static string? Position(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, byte {(exception.BytePositionInLine ?? 0) + 1}")
            : null;
    }

    /// <summary>Reports a finding at <paramref name="path"/>.</summary>
    public void Report(string path, string message) => _report(path, message);

    /// <summary>Parses a UTF-8 document; reports malformed JSON at <c>$</c> and returns null.</summary>
    public JsonDocument? Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            _report("$", Wording.InvalidJson(e));
            return null;
        }
    }

    /// <summary>Parses a document; reports malformed JSON at <c>$</c> and returns null.</summary>
    public JsonDocument? Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            _report("$", Wording.InvalidJson(e));
            return null;
        }
    }

    /// <summary>Whether <paramref name="obj"/> has <paramref name="name"/> with a value other than null.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Checks that <paramref name="element"/> is an object with only <paramref name="allowed"/> properties; reports each
    /// other property. False when it is not an object.
    /// </summary>
    public bool ExpectObject(JsonElement element, string path, IReadOnlyCollection<string> allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            _report(path, Wording.NotAnObject(element.ValueKind));
            return false;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                _report($"{path}.{property.Name}", Wording.UnknownProperty(allowed));
            }
        }

        return true;
    }

    /// <summary>The string <paramref name="name"/> of <paramref name="obj"/>; null when absent (reported if required) or not a string.</summary>
    public string? String(JsonElement obj, string path, string name, bool required)
    {
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                _report($"{path}.{name}", Wording.Missing);
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            _report($"{path}.{name}", Wording.NotAString(value.ValueKind));
            return null;
        }

        var text = value.GetString()!;
        if (required && Wording.EmptyString is { } empty && text.Trim().Length == 0)
        {
            _report($"{path}.{name}", empty);
            return null;
        }

        return text;
    }

    /// <summary>The boolean <paramref name="name"/> of <paramref name="obj"/>; null when absent or not a boolean (reported).</summary>
    public bool? Boolean(JsonElement obj, string path, string name)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            _report($"{path}.{name}", Wording.NotABoolean(value.ValueKind));
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>
    /// The strings of the array <paramref name="name"/> with their paths; null when absent or not an array (reported).
    /// Items of another kind are reported and left out; an empty array is reported unless <paramref name="allowEmpty"/>.
    /// </summary>
    public IReadOnlyList<(string Value, string Path)>? StringArray(JsonElement obj, string path, string name, bool allowEmpty)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        var arrayPath = $"{path}.{name}";
        if (value.ValueKind != JsonValueKind.Array)
        {
            _report(arrayPath, Wording.NotAnArrayOfStrings(value.ValueKind));
            return null;
        }

        var result = new List<(string, string)>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index}]");
            if (item.ValueKind != JsonValueKind.String)
            {
                _report(itemPath, Wording.NotAString(item.ValueKind));
            }
            else
            {
                result.Add((item.GetString()!, itemPath));
            }

            index++;
        }

        if (index == 0 && !allowEmpty)
        {
            _report(arrayPath, Wording.EmptyArray);
        }

        return result;
    }
}
