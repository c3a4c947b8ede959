using CloudArchive.Core.Retention;
using Xunit;

namespace CloudArchive.Core.Tests.Retention;

public sealed class IsoPeriodTests
{
    [Theory]
    [InlineData("P10Y", 10, 0, 0, 0)]
    [InlineData("P18M", 0, 18, 0, 0)]
    [InlineData("P30D", 0, 0, 0, 30)]
    [InlineData("P2W", 0, 0, 2, 0)]
    [InlineData("P1Y6M", 1, 6, 0, 0)]
    [InlineData("P1Y2M3W4D", 1, 2, 3, 4)]
    [InlineData("P0D", 0, 0, 0, 0)]
    [InlineData("P007Y", 7, 0, 0, 0)]
    public void Valid_periods_parse_into_their_components(string text, int years, int months, int weeks, int days)
    {
        var period = IsoPeriod.Parse(text);

        Assert.Equal(years, period.Years);
        Assert.Equal(months, period.Months);
        Assert.Equal(weeks, period.Weeks);
        Assert.Equal(days, period.Days);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("P", "at least one component")]
    [InlineData("10Y", "starts with 'P'")]
    [InlineData("p10y", "uppercase")]
    [InlineData("P10y", "uppercase")]
    [InlineData("P1.5Y", "fractions are not allowed")]
    [InlineData("P1,5Y", "fractions are not allowed")]
    [InlineData("PT12H", "time components")]
    [InlineData("P1YT2H", "time components")]
    [InlineData("P-1Y", "expected digits")]
    [InlineData("P+1Y", "expected digits")]
    [InlineData(" P1Y", "starts with 'P'")]
    [InlineData("P1Y ", "expected digits")]
    [InlineData("P10", "without a designator")]
    [InlineData("P1M1Y", "out of order")]
    [InlineData("P1Y1Y", "repeated or out of order")]
    [InlineData("P1D1W", "out of order")]
    [InlineData("P1H", "unknown designator 'H'")]
    [InlineData("PY", "expected digits")]
    [InlineData("P1000000Y", "too large")]
    [InlineData("P100001D", "too large")]
    public void Invalid_periods_are_rejected_with_the_reason(string text, string reason)
    {
        Assert.False(IsoPeriod.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);

        var ex = Assert.Throws<FormatException>(() => IsoPeriod.Parse(text));
        Assert.Equal(error, ex.Message);
    }

    [Fact]
    public void Null_is_rejected()
    {
        Assert.False(IsoPeriod.TryParse(null, out _, out var error));
        Assert.Contains("required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P10Y")]
    [InlineData("P1Y6M")]
    [InlineData("P2W")]
    [InlineData("P1Y2M3W4D")]
    [InlineData("P0D")]
    public void Canonical_text_round_trips(string text)
    {
        Assert.Equal(text, IsoPeriod.Parse(text).ToString());
    }

    [Fact]
    public void Zero_components_are_dropped_from_the_canonical_text()
    {
        Assert.Equal("P7Y", IsoPeriod.Parse("P7Y0M0D").ToString());
        Assert.Equal("P0D", IsoPeriod.Parse("P0Y").ToString());
    }

    [Theory]
    [InlineData("2020-03-15", "P7Y", "2027-03-15")]
    [InlineData("2020-02-29", "P1Y", "2021-03-01")] // no 29 Feb in 2021: never end early
    [InlineData("2020-02-29", "P4Y", "2024-02-29")]
    [InlineData("2021-01-31", "P1M", "2021-03-01")] // no 31 Feb
    [InlineData("2021-08-31", "P18M", "2023-03-01")] // 31 Feb 2023 does not exist
    [InlineData("2020-12-31", "P30D", "2021-01-30")]
    [InlineData("2020-01-01", "P2W", "2020-01-15")]
    [InlineData("2020-01-31", "P1M1D", "2020-03-02")] // 29 Feb 2020 exists: 31 Jan + 1M -> 1 Mar (no 31 Feb), + 1D
    public void Adding_a_period_never_ends_before_the_calendar_date(string start, string period, string expected)
    {
        var result = IsoPeriod.Parse(period).AddTo(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result);
    }

    [Fact]
    public void Adding_beyond_year_9999_saturates_instead_of_throwing()
    {
        Assert.Equal(DateOnly.MaxValue, IsoPeriod.Parse("P200Y").AddTo(new DateOnly(9900, 1, 1)));
        Assert.Equal(DateOnly.MaxValue, IsoPeriod.Parse("P30D").AddTo(new DateOnly(9999, 12, 20)));
    }

    [Fact]
    public void Components_outside_the_allowed_range_are_rejected_by_the_constructor()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoPeriod(-1, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoPeriod(0, 0, 0, IsoPeriod.MaxComponent + 1));
    }
}
