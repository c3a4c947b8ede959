using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudArchive.Research.Common;

/// <summary>
/// Strict reading helpers shared by the agreement and consent codecs. Every failure is raised through the caller's
/// exception factory with a JSON path and a reason, never with the offending value (consent documents carry
/// identifiers that must not reach logs).
/// </summary>
internal sealed partial class StrictJson(Func<string, string, Exception> fail)
{
    /// <summary>Parse options: no comments, no trailing commas, no duplicate properties.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 64,
    };

    public Exception Fail(string path, string reason) => fail(path, reason);

    public JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw fail("$", string.Create(CultureInfo.InvariantCulture, $"not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})"));
        }
    }

    public void ExpectObject(JsonElement e, string path, IReadOnlySet<string> allowed)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw fail(path, "must be an object");
        }

        foreach (var p in e.EnumerateObject())
        {
            if (!allowed.Contains(p.Name))
            {
                throw fail($"{path}.{p.Name}", $"unknown property; allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}");
            }
        }
    }

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public string? String(JsonElement obj, string path, string name, bool required)
    {
        if (!TryGet(obj, name, out var v))
        {
            return required ? throw fail($"{path}.{name}", "is required") : null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw fail($"{path}.{name}", "must be a string");
    }

    public bool? Bool(JsonElement obj, string path, string name)
    {
        if (!TryGet(obj, name, out var v))
        {
            return null;
        }

        return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw fail($"{path}.{name}", "must be true or false");
    }

    public List<string> StringArray(JsonElement obj, string path, string name)
    {
        var list = new List<string>();
        if (!TryGet(obj, name, out var v))
        {
            return list;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            throw fail($"{path}.{name}", "must be an array of strings");
        }

        var i = 0;
        foreach (var e in v.EnumerateArray())
        {
            list.Add(e.ValueKind == JsonValueKind.String ? e.GetString()! : throw fail($"{path}.{name}[{i}]", "must be a string"));
            i++;
        }

        return list;
    }

    public DateTimeOffset? Instant(JsonElement obj, string path, string name, bool required)
    {
        var s = String(obj, path, name, required);
        if (s is null)
        {
            return null;
        }

        return TryParseInstant(s, out var value) ? value : throw fail($"{path}.{name}", "must be an ISO 8601 date-time with a UTC offset, e.g. 2026-01-31T00:00:00Z");
    }

    public DateOnly? Date(JsonElement obj, string path, string name)
    {
        var s = String(obj, path, name, required: false);
        if (s is null)
        {
            return null;
        }

        return TryParseDate(s, out var d) ? d : throw fail($"{path}.{name}", "must be a date yyyy-MM-dd");
    }

    /// <summary>An ISO 8601 date-time that states its offset (<c>Z</c> or <c>±hh:mm</c>); local-time readings are refused.</summary>
    public static bool TryParseInstant(string? s, out DateTimeOffset value)
    {
        value = default;
        return s is not null
            && OffsetSuffix().IsMatch(s)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
    }

    /// <summary>A calendar date <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseDate(string? s, out DateOnly value) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    public static string FormatInstant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetSuffix();
}
