using CloudArchive.Core.Retention;
using Xunit;

namespace CloudArchive.Core.Tests.Retention;

public sealed class RetainUntilTagTests
{
    [Theory]
    [InlineData("2033-03-14", "2033-03-31")]
    [InlineData("2033-03-01", "2033-03-31")]
    [InlineData("2033-03-31", "2033-03-31")]
    [InlineData("2032-02-03", "2032-02-29")]
    [InlineData("2033-02-03", "2033-02-28")]
    [InlineData("2033-12-25", "2033-12-31")]
    public void The_tag_is_the_last_day_of_the_month_so_it_never_shortens_retention(string exact, string tag)
    {
        Assert.Equal(tag, RetainUntilTag.ToTag(exact));
        Assert.True(RetainUntilTag.Parse(tag) >= RetainUntilTag.Parse(exact));
    }

    [Fact]
    public void Exams_of_the_same_month_share_one_tag_value()
    {
        var tags = Enumerable.Range(1, 30).Select(day => RetainUntilTag.ToTag(new DateOnly(2034, 6, day))).Distinct().ToList();
        Assert.Equal(["2034-06-30"], tags);
    }

    [Theory]
    [InlineData("2033-3-14")]
    [InlineData("14.03.2033")]
    [InlineData("")]
    public void A_malformed_date_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => RetainUntilTag.ToTag(text));
        Assert.False(RetainUntilTag.TryParse(text, out _));
    }
}
