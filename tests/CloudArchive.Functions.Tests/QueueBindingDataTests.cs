using System.Text.Json;
using CloudArchive.Functions.Middleware;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>The dequeue count read from the trigger metadata the worker (or the local host) passes as binding data.</summary>
public sealed class QueueBindingDataTests
{
    private static Dictionary<string, object?> With(object? value) => new(StringComparer.Ordinal) { [QueueBindingData.DequeueCountKey] = value };

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static TheoryData<object, int> Readable => new()
    {
        { 3, 3 },
        { 4L, 4 },
        { "5", 5 },
        { Json("6"), 6 },
        { Json("\"7\""), 7 },
        { 1, 1 },
        { (long)int.MaxValue, int.MaxValue },
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public void The_count_is_read_from_numbers_and_their_text(object value, int expected)
    {
        Assert.Equal(expected, QueueBindingData.DequeueCount(With(value)));
    }

    public static TheoryData<object> Unreadable => new()
    {
        "x",
        "",
        "2.5",
        Json("2.5"),
        Json("\"two\""),
        Json("{\"count\":2}"),
        Json("null"),
        0,
        -3L,
        "-1",
        (long)int.MaxValue + 1,
        2.0,
        true,
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void An_unreadable_or_out_of_range_count_counts_as_the_first_delivery(object value)
    {
        Assert.Equal(1, QueueBindingData.DequeueCount(With(value)));
    }

    [Fact]
    public void Without_a_value_it_is_the_first_delivery()
    {
        Assert.Equal(1, QueueBindingData.DequeueCount(new Dictionary<string, object?> { ["Id"] = "abc" }));
        Assert.Equal(1, QueueBindingData.DequeueCount(With(null)));
    }
}
