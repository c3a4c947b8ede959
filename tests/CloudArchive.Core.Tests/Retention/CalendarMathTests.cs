using CloudArchive.Core.Retention;
using Xunit;

namespace CloudArchive.Core.Tests.Retention;

public sealed class CalendarMathTests
{
    [Fact]
    public void A_leap_day_birthday_falls_on_1_March_in_common_years()
    {
        var born = new DateOnly(2008, 2, 29);

        Assert.Equal(new DateOnly(2027, 3, 1), CalendarMath.Birthday(born, 19));
        Assert.Equal(new DateOnly(2032, 2, 29), CalendarMath.Birthday(born, 24));
    }

    [Theory]
    [InlineData("2008-02-29", "2026-02-28", 17)]
    [InlineData("2008-02-29", "2026-03-01", 18)]
    [InlineData("2000-06-15", "2018-06-14", 17)]
    [InlineData("2000-06-15", "2018-06-15", 18)]
    [InlineData("2020-01-01", "2020-01-01", 0)]
    public void Age_counts_completed_years(string born, string on, int expected)
    {
        Assert.Equal(expected, CalendarMath.AgeOn(D(born), D(on)));
    }

    [Fact]
    public void Age_before_birth_is_an_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CalendarMath.AgeOn(D("2020-01-02"), D("2020-01-01")));
    }

    [Theory]
    [InlineData("2020-03-15", 0)]
    [InlineData("2020-03-15", 17)]
    [InlineData("2020-03-15", 18)]
    [InlineData("2024-02-29", 17)]
    [InlineData("2025-03-01", 1)]
    public void Latest_birth_date_for_an_age_is_the_exact_boundary(string on, int years)
    {
        var onDate = D(on);
        var latest = CalendarMath.LatestBirthDateForAge(onDate, years);

        Assert.True(CalendarMath.AgeOn(latest, onDate) >= years);
        if (latest < onDate)
        {
            Assert.True(CalendarMath.AgeOn(latest.AddDays(1), onDate) < years);
        }
    }

    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
