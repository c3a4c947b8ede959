using System.Globalization;
using System.Text;

namespace CloudArchive.Core.Retention;

/// <summary>
/// A calendar period in ISO 8601 duration notation restricted to date components:
/// <c>PnYnMnWnD</c> (e.g. <c>P10Y</c>, <c>P18M</c>, <c>P30D</c>, <c>P1Y6M</c>, <c>P2W</c>).
/// </summary>
/// <remarks>
/// The parser is strict on purpose: a retention period that is read differently from how it was meant
/// shortens or lengthens how long medical records are kept. Rejected: time components (<c>T...</c>;
/// retention is counted in whole days), fractions, signs, lowercase designators, whitespace, repeated or
/// out-of-order components and an empty <c>P</c>. Components must appear in the order Y, M, W, D
/// (ISO 8601-2 allows weeks combined with other components; ISO 8601-1 readers would only accept <c>PnW</c>
/// alone, which is also accepted).
/// </remarks>
public readonly record struct IsoPeriod
{
    /// <summary>The largest number accepted in one component; keeps date arithmetic far from overflow.</summary>
    public const int MaxComponent = 100_000;

    /// <summary>Creates a period from its components (each 0..<see cref="MaxComponent"/>).</summary>
    public IsoPeriod(int years, int months, int weeks, int days)
    {
        Check(years, nameof(years));
        Check(months, nameof(months));
        Check(weeks, nameof(weeks));
        Check(days, nameof(days));
        Years = years;
        Months = months;
        Weeks = weeks;
        Days = days;
    }

    /// <summary>Whole years.</summary>
    public int Years { get; }

    /// <summary>Whole months.</summary>
    public int Months { get; }

    /// <summary>Whole weeks (7 days each).</summary>
    public int Weeks { get; }

    /// <summary>Whole days.</summary>
    public int Days { get; }

    /// <summary>Parses strict ISO 8601 date-only duration text.</summary>
    /// <exception cref="FormatException">The text is not a valid period; the message says where and why.</exception>
    public static IsoPeriod Parse(string text)
    {
        if (!TryParse(text, out var period, out var error))
        {
            throw new FormatException(error);
        }

        return period;
    }

    /// <summary>Parses strict ISO 8601 date-only duration text without throwing.</summary>
    /// <param name="text">The text, e.g. <c>P10Y</c>.</param>
    /// <param name="period">The parsed period when successful.</param>
    /// <param name="error">Why the text was rejected (with the character position), when unsuccessful.</param>
    public static bool TryParse(string? text, out IsoPeriod period, out string error)
    {
        period = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "an ISO 8601 period is required, e.g. P10Y";
            return false;
        }

        if (text[0] != 'P')
        {
            error = text[0] == 'p'
                ? $"'{text}': designators must be uppercase (P, Y, M, W, D)"
                : $"'{text}': an ISO 8601 period starts with 'P', e.g. P10Y, P18M, P30D";
            return false;
        }

        const string order = "YMWD";
        var values = new int[4];
        var lastIndex = -1;
        var position = 1;
        var components = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == 'T')
            {
                error = $"'{text}': time components (T...) are not supported; retention periods are whole days";
                return false;
            }

            var start = position;
            while (position < text.Length && text[position] is >= '0' and <= '9')
            {
                position++;
            }

            if (position == start)
            {
                error = Describe(text, start, "expected digits");
                return false;
            }

            if (position == text.Length)
            {
                error = $"'{text}': number without a designator at the end (Y, M, W or D expected)";
                return false;
            }

            var designator = text[position];
            if (designator is '.' or ',')
            {
                error = Describe(text, position, "fractions are not allowed; use a smaller unit (e.g. P18M instead of P1.5Y)");
                return false;
            }

            var index = order.IndexOf(designator, StringComparison.Ordinal);
            if (index < 0)
            {
                error = char.IsLower(designator)
                    ? Describe(text, position, "designators must be uppercase (Y, M, W, D)")
                    : Describe(text, position, $"unknown designator '{designator}' (Y, M, W or D expected)");
                return false;
            }

            if (index <= lastIndex)
            {
                error = Describe(text, position, $"'{designator}' is repeated or out of order (order is Y, M, W, D)");
                return false;
            }

            var digits = text.AsSpan(start, position - start);
            if (digits.Length > 6 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > MaxComponent)
            {
                error = Describe(text, start, string.Create(CultureInfo.InvariantCulture, $"number too large (at most {MaxComponent})"));
                return false;
            }

            values[index] = number;
            lastIndex = index;
            components++;
            position++;
        }

        if (components == 0)
        {
            error = $"'{text}': at least one component is required, e.g. P10Y";
            return false;
        }

        period = new IsoPeriod(values[0], values[1], values[2], values[3]);
        error = string.Empty;
        return true;
    }

    /// <summary>True when every component is zero.</summary>
    public bool IsZero => Years == 0 && Months == 0 && Weeks == 0 && Days == 0;

    /// <summary>
    /// Adds the period to a date, never ending early: years and months are added first on the calendar,
    /// and when the day does not exist in the target month (29 February in a common year, 31 in a 30-day
    /// month) the result is the first day of the following month rather than the last day of the target
    /// month. Then weeks and days are added. Results beyond 9999-12-31 saturate at that date.
    /// </summary>
    public DateOnly AddTo(DateOnly date)
    {
        var shifted = CalendarMath.AddMonthsNeverEarly(date, (Years * 12L) + Months);
        return CalendarMath.AddDaysSaturating(shifted, (Weeks * 7L) + Days);
    }

    /// <summary>The canonical text, e.g. <c>P1Y6M</c>; <c>P0D</c> for the zero period.</summary>
    public override string ToString()
    {
        if (IsZero)
        {
            return "P0D";
        }

        var builder = new StringBuilder("P");
        Append(builder, Years, 'Y');
        Append(builder, Months, 'M');
        Append(builder, Weeks, 'W');
        Append(builder, Days, 'D');
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, int value, char designator)
    {
        if (value != 0)
        {
            builder.Append(value.ToString(CultureInfo.InvariantCulture)).Append(designator);
        }
    }

    private static string Describe(string text, int position, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"'{text}' at position {position + 1}: {problem}");

    private static void Check(int value, string name)
    {
        if (value < 0 || value > MaxComponent)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Must be between 0 and {MaxComponent}.");
        }
    }
}
