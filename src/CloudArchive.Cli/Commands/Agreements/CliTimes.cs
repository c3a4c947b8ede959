using System.Globalization;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Agreements;

/// <summary>Reads the dates and instants the agreement options take.</summary>
internal static class CliTimes
{
    /// <summary>A date (start of that day, UTC) or an ISO 8601 instant with an offset.</summary>
    public static DateTimeOffset Start(string text, string option) =>
        TryDate(text, out var d) ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : Instant(text, option);

    /// <summary>A date (through the end of that day, UTC: the next midnight, exclusive) or an ISO 8601 instant with an offset.</summary>
    public static DateTimeOffset End(string text, string option) =>
        TryDate(text, out var d) ? new DateTimeOffset(d.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : Instant(text, option);

    /// <summary>A calendar date yyyy-MM-dd.</summary>
    public static DateOnly Date(string text, string option) =>
        TryDate(text, out var d) ? d : throw new UsageException($"{option} must be a date yyyy-MM-dd.");

    private static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static DateTimeOffset Instant(string text, string option)
    {
        var hasOffset = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
        {
            throw new UsageException($"{option} must be a date yyyy-MM-dd or an ISO 8601 date-time with an offset (e.g. 2026-01-01T00:00:00Z).");
        }

        return value;
    }
}
