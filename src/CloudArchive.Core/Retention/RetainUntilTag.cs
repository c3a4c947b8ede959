using System.Globalization;

namespace CloudArchive.Core.Retention;

/// <summary>
/// The plaintext <c>ca_retain_until</c> tag value. A retention date is the exam date plus a period, so the exact date
/// would tell anyone who can read index tags when the exam took place; the tag therefore carries the date rounded up
/// to the last day of its month. Rounding up only ever keeps data longer, never shorter than the rule requires.
/// The exact date stays in the encrypted index record.
/// </summary>
public static class RetainUntilTag
{
    /// <summary>The tag format (<c>yyyy-MM-dd</c>, which orders as text in the same order as the dates).</summary>
    public const string Format = "yyyy-MM-dd";

    /// <summary>The last day of <paramref name="retainUntil"/>'s month.</summary>
    public static DateOnly RoundUp(DateOnly retainUntil) =>
        new(retainUntil.Year, retainUntil.Month, DateTime.DaysInMonth(retainUntil.Year, retainUntil.Month));

    /// <summary>The tag value for <paramref name="retainUntil"/>: rounded up to the end of its month.</summary>
    public static string ToTag(DateOnly retainUntil) => RoundUp(retainUntil).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>The tag value for a date already formatted as <c>yyyy-MM-dd</c>.</summary>
    /// <exception cref="FormatException">The text is not a <c>yyyy-MM-dd</c> date.</exception>
    public static string ToTag(string retainUntil) => ToTag(Parse(retainUntil));

    /// <summary>Parses a tag value.</summary>
    /// <exception cref="FormatException">The text is not a <c>yyyy-MM-dd</c> date.</exception>
    public static DateOnly Parse(string value) => DateOnly.ParseExact(value, Format, CultureInfo.InvariantCulture);

    /// <summary>Parses a tag value, or returns false.</summary>
    public static bool TryParse(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
