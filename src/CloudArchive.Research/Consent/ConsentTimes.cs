using System.Globalization;
using CloudArchive.Research.Common;

namespace CloudArchive.Research.Consent;

/// <summary>
/// Reading consent periods. A bare date as a period start means the start of that day (UTC); as a period end it means
/// the end of that day, because FHIR periods are inclusive while <see cref="ConsentRecord.PeriodEnd"/> is exclusive.
/// </summary>
internal static class ConsentTimes
{
    public static DateTimeOffset? PeriodStart(string? text, string at)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (StrictJson.TryParseDate(text, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return StrictJson.TryParseInstant(text, out var instant) ? instant : throw Invalid(at);
    }

    public static DateTimeOffset? PeriodEnd(string? text, string at)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (StrictJson.TryParseDate(text, out var date))
        {
            return date == DateOnly.MaxValue ? DateTimeOffset.MaxValue : new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return StrictJson.TryParseInstant(text, out var instant) ? instant : throw Invalid(at);
    }

    public static DateOnly? Date(string? text, string at)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (StrictJson.TryParseDate(text, out var date))
        {
            return date;
        }

        // FHIR dataPeriod is a dateTime; study dates are calendar dates, so the date as written is what counts.
        return StrictJson.TryParseInstant(text, out _) ? DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture) : throw new ConsentFormatException(at, "must be a date yyyy-MM-dd");
    }

    private static ConsentFormatException Invalid(string at) =>
        new(at, "must be a date yyyy-MM-dd or an ISO 8601 date-time with a UTC offset");
}
