using System.Globalization;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// A timer trigger's schedule as the Functions host reads it: an NCRONTAB expression with six fields
/// (<c>second minute hour day month day-of-week</c>; <c>*</c>, <c>*/n</c>, <c>a</c>, <c>a-b</c>, <c>a-b/n</c> and
/// comma lists; day-of-week 0 = Sunday; day and day-of-week must both match) or a <c>hh:mm:ss</c> interval. Times are UTC,
/// the host's default.
/// </summary>
public sealed class CronSchedule
{
    private static readonly (int Min, int Max)[] Ranges = [(0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 6)];
    private readonly bool[][] _fields = [];
    private readonly TimeSpan? _interval;

    private CronSchedule(bool[][] fields) => _fields = fields;

    private CronSchedule(TimeSpan interval) => _interval = interval;

    /// <summary>Parses a schedule.</summary>
    /// <exception cref="FormatException">Not a six-field NCRONTAB expression nor a positive <c>hh:mm:ss</c> interval.</exception>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.Trim();
        if (TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var interval) || TimeSpan.TryParseExact(text, @"d\.hh\:mm\:ss", CultureInfo.InvariantCulture, out interval))
        {
            return interval > TimeSpan.Zero ? new CronSchedule(interval) : throw new FormatException($"The interval '{text}' must be positive.");
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            throw new FormatException($"'{text}' is not a schedule: use six NCRONTAB fields (second minute hour day month day-of-week) or hh:mm:ss.");
        }

        return new CronSchedule([.. parts.Select((part, i) => ParseField(part, Ranges[i].Min, Ranges[i].Max, text))]);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        if (_interval is { } interval)
        {
            return after + interval;
        }

        var t = new DateTime(after.UtcDateTime.Ticks - (after.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddSeconds(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_fields[4][t.Month])
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            }
            else if (!_fields[3][t.Day] || !_fields[5][(int)t.DayOfWeek])
            {
                t = t.Date.AddDays(1);
            }
            else if (!_fields[2][t.Hour])
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!_fields[1][t.Minute])
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
            }
            else if (!_fields[0][t.Second])
            {
                t = t.AddSeconds(1);
            }
            else
            {
                return new DateTimeOffset(t, TimeSpan.Zero);
            }
        }

        throw new InvalidOperationException("The schedule has no occurrence within five years.");
    }

    private static bool[] ParseField(string field, int min, int max, string expression)
    {
        var allowed = new bool[max + 1];
        foreach (var item in field.Split(','))
        {
            var step = 1;
            var range = item;
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                step = Number(item[(slash + 1)..], 1, max, expression);
                range = item[..slash];
            }

            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                (from, to) = (Number(range[..dash], min, max, expression), Number(range[(dash + 1)..], min, max, expression));
            }
            else
            {
                from = Number(range, min, max, expression);
                to = slash >= 0 ? max : from;
            }

            if (from > to)
            {
                throw new FormatException($"'{expression}': the range '{range}' runs backwards.");
            }

            for (var value = from; value <= to; value += step)
            {
                allowed[value] = true;
            }
        }

        return allowed;
    }

    private static int Number(string text, int min, int max, string expression) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"'{expression}': '{text}' is not a number from {min} to {max}.");
}
