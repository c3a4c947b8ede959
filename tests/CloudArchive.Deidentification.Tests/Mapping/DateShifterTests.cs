using Xunit;

namespace CloudArchive.Deidentification.Tests;

public class DateShifterTests
{
    [Theory]
    [InlineData("20200301", -1, "20200229")]
    [InlineData("20200301\\20210101", 10, "20200311\\20210111")]
    [InlineData("2020.03.01", -1, "20200229")]
    [InlineData("20200101-20200131", -1, "20191231-20200130")]
    public void DA_values_move_by_whole_days(string input, int days, string expected)
    {
        Assert.Equal(expected, DateShifter.ShiftDA(input, days));
    }

    [Theory]
    [InlineData("20200301123456.123456+0100", -1, "20200229123456.123456+0100")]
    [InlineData("20200301123456-0500", -1, "20200229123456-0500")]
    [InlineData("20200301", 1, "20200302")]
    [InlineData("202003", -40, "202001")]
    [InlineData("2020", -400, "2018")]
    public void DT_values_keep_time_precision_and_utc_offset(string input, int days, string expected)
    {
        Assert.Equal(expected, DateShifter.ShiftDT(input, days));
    }

    [Theory]
    [InlineData("2020130")]
    [InlineData("20201340")]
    [InlineData("yesterday")]
    public void Invalid_dates_yield_null_so_the_caller_drops_them(string input)
    {
        Assert.Null(DateShifter.ShiftDA(input, 5));
    }

    [Fact]
    public void Intervals_between_two_dates_are_preserved()
    {
        var a = DateOnly.ParseExact(DateShifter.ShiftDA("20190515", -1234)!, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var b = DateOnly.ParseExact(DateShifter.ShiftDA("20200229", -1234)!, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new DateOnly(2020, 2, 29).DayNumber - new DateOnly(2019, 5, 15).DayNumber, b.DayNumber - a.DayNumber);
    }
}
