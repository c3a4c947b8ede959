using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudArchive.Core.Serialization;

namespace CloudArchive.Research.Common;

/// <summary>
/// The agreement and consent codecs' use of the one strict reader (<see cref="StrictJsonReader"/>): every finding is
/// thrown at once through the caller's exception factory with a JSON path and a reason, never with the offending value
/// (consent documents carry identifiers that must not reach logs); the date and time forms both codecs share.
/// </summary>
internal sealed partial class StrictJson
{
    private const int MaxDepth = 64;

    private static readonly StrictJsonWording Wording = new()
    {
        InvalidJson = e => string.Create(CultureInfo.InvariantCulture, $"not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})"),
        NotAnObject = _ => "must be an object",
        UnknownProperty = allowed => $"unknown property; allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}",
        Missing = "is required",
        NotAString = _ => "must be a string",
        NotABoolean = _ => "must be true or false",
        NotAnArrayOfStrings = _ => "must be an array of strings",
    };

    private readonly Func<string, string, Exception> _fail;
    private readonly StrictJsonReader _reader;

    public StrictJson(Func<string, string, Exception> fail)
    {
        _fail = fail;
        _reader = new StrictJsonReader(Wording, MaxDepth, (path, reason) => throw _fail(path, reason));
    }

    public Exception Fail(string path, string reason) => _fail(path, reason);

    public JsonDocument Parse(ReadOnlyMemory<byte> utf8) => _reader.Parse(utf8)!;

    public void ExpectObject(JsonElement e, string path, IReadOnlySet<string> allowed) => _reader.ExpectObject(e, path, allowed);

    public static bool TryGet(JsonElement obj, string name, out JsonElement value) => StrictJsonReader.TryGet(obj, name, out value);

    public string? String(JsonElement obj, string path, string name, bool required) => _reader.String(obj, path, name, required);

    public bool? Bool(JsonElement obj, string path, string name) => _reader.Boolean(obj, path, name);

    public List<string> StringArray(JsonElement obj, string path, string name) =>
        _reader.StringArray(obj, path, name, allowEmpty: true)?.Select(item => item.Value).ToList() ?? [];

    public DateTimeOffset? Instant(JsonElement obj, string path, string name, bool required)
    {
        var s = String(obj, path, name, required);
        if (s is null)
        {
            return null;
        }

        return TryParseInstant(s, out var value) ? value : throw _fail($"{path}.{name}", "must be an ISO 8601 date-time with a UTC offset, e.g. 2026-01-31T00:00:00Z");
    }

    public DateOnly? Date(JsonElement obj, string path, string name)
    {
        var s = String(obj, path, name, required: false);
        if (s is null)
        {
            return null;
        }

        return TryParseDate(s, out var d) ? d : throw _fail($"{path}.{name}", "must be a date yyyy-MM-dd");
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
