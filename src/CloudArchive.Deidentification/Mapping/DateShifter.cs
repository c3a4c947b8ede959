using System.Globalization;
using System.Text;

namespace CloudArchive.Deidentification;

/// <summary>
/// Shifts DA and DT values by a whole number of days (Retain Longitudinal Temporal Information With Modified Dates).
/// The time of day, fractional seconds, precision and UTC offset of a DT are kept as written; only the calendar date
/// moves, so intervals, time of day and the PET injection-to-acquisition arithmetic stay exact.
/// </summary>
public static class DateShifter
{
    /// <summary>Shifts every value of a (possibly multi-valued, backslash-separated) DA; null when any value is not a
    /// date (the caller must then drop the value rather than keep it).</summary>
    public static string? ShiftDA(string value, int days) => ShiftEach(value, days, ShiftOneDate);

    /// <summary>Shifts every value of a DT; null when any value is not a date-time.</summary>
    public static string? ShiftDT(string value, int days) => ShiftEach(value, days, ShiftOneDateTime);

    private static string? ShiftEach(string value, int days, Func<string, int, string?> one)
    {
        var parts = value.Split('\\');
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\\');
            }

            var p = parts[i].Trim(' ', '\0');
            if (p.Length == 0)
            {
                continue;
            }

            var shifted = p.Contains('-', StringComparison.Ordinal) && p.Length >= 9 && !IsDtWithNegativeOffset(p)
                ? ShiftRange(p, days, one)
                : one(p, days);
            if (shifted is null)
            {
                return null;
            }

            sb.Append(shifted);
        }

        return sb.ToString();
    }

    // A DT such as 20200101120000-0500 carries a UTC offset, not a range.
    private static bool IsDtWithNegativeOffset(string p)
    {
        var dash = p.IndexOf('-', StringComparison.Ordinal);
        return dash > 8 && p.Length - dash == 5 && p.IndexOf('-', dash + 1) < 0;
    }

    private static string? ShiftRange(string p, int days, Func<string, int, string?> one)
    {
        var dash = p.IndexOf('-', StringComparison.Ordinal);
        var a = p[..dash];
        var b = p[(dash + 1)..];
        var sa = a.Length == 0 ? string.Empty : one(a, days);
        var sb = b.Length == 0 ? string.Empty : one(b, days);
        return sa is null || sb is null ? null : sa + "-" + sb;
    }

    private static string? ShiftOneDate(string p, int days)
    {
        // ACR-NEMA dotted form YYYY.MM.DD is still found in old data.
        var compact = p.Length == 10 && p[4] == '.' && p[7] == '.' ? p.Remove(7, 1).Remove(4, 1) : p;
        if (compact.Length != 8 || !DateOnly.TryParseExact(compact, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return null;
        }

        return Add(d, days)?.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    }

    private static string? ShiftOneDateTime(string p, int days)
    {
        // DT: YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&ZZXX]
        var tzAt = p.IndexOfAny(['+', '-'], 4);
        var body = tzAt >= 0 ? p[..tzAt] : p;
        var tz = tzAt >= 0 ? p[tzAt..] : string.Empty;
        if (body.Length < 4 || !body[..Math.Min(body.Length, 8)].All(char.IsAsciiDigit))
        {
            return null;
        }

        var year = int.Parse(body[..4], CultureInfo.InvariantCulture);
        var month = body.Length >= 6 ? int.Parse(body[4..6], CultureInfo.InvariantCulture) : 1;
        var day = body.Length >= 8 ? int.Parse(body[6..8], CultureInfo.InvariantCulture) : 1;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        var shifted = Add(new DateOnly(year, month, day), days);
        if (shifted is null)
        {
            return null;
        }

        var date = shifted.Value.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var precision = Math.Min(body.Length, 8);
        return date[..precision] + body[precision..] + tz;
    }

    private static DateOnly? Add(DateOnly d, int days)
    {
        var n = d.DayNumber + (long)days;
        return n < DateOnly.MinValue.DayNumber || n > DateOnly.MaxValue.DayNumber ? null : DateOnly.FromDayNumber((int)n);
    }
}
