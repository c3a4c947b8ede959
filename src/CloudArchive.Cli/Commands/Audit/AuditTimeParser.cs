using System.Globalization;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Audit;

/// <summary>Parses <c>--from</c>/<c>--to</c>: ISO 8601 date or date-time; without an offset the time is UTC.</summary>
internal static class AuditTimeParser
{
    public static DateTimeOffset? Parse(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mmzzz", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", "yyyy-MM-ddTHH:mmZ"];
        return DateTimeOffset.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : throw new UsageException($"{option} '{value}' is not an ISO 8601 date or date-time (e.g. 2026-11-22 or 2026-11-22T09:00:00Z).");
    }

    public static void CheckRange(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } f && to is { } t && t <= f)
        {
            throw new UsageException("--to must be later than --from (--from is inclusive, --to exclusive).");
        }
    }
}
