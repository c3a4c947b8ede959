using System.Text.Json;
using CloudArchive.Functions.Invocation;
using Xunit;

namespace CloudArchive.Functions.Tests;

public sealed class InvocationValuesTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Theory]
    [InlineData("\"\\\"stringTest\\\"\"", "stringTest")] // the host's own test case: "stringTest" -> "\"stringTest\""
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"\\\"\"", "\"")]
    [InlineData("42", "42")]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("\"\\\"unterminated\"", "\"unterminated")]
    public void Strings_are_unwrapped_once_more_when_double_encoded(string json, string expected)
    {
        Assert.Equal(expected, InvocationValues.DecodeString(Json(json)));
    }

    [Fact]
    public void Null_is_not_a_value()
    {
        Assert.Throws<InvalidInvocationException>(() => InvocationValues.DecodeString(Json("null")));
    }

    [Theory]
    [InlineData("\"2\"", 2)]
    [InlineData("2", 2)]
    [InlineData("\"\\\"3\\\"\"", 3)]
    [InlineData("\"x\"", null)]
    [InlineData("2.5", null)]
    public void Integers_are_read_from_numbers_and_encoded_strings(string json, int? expected)
    {
        Assert.Equal(expected, InvocationValues.TryGetInt(Json(json)));
    }

    [Fact]
    public void Base64_that_is_not_utf8_is_rejected()
    {
        var text = JsonSerializer.Serialize(Convert.ToBase64String([0x7b, 0xff, 0xfe]));

        var ex = Assert.Throws<InvalidInvocationException>(() => InvocationValues.DecodeQueueMessageJson(Json(text)));
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_queue_text_is_rejected()
    {
        Assert.Throws<InvalidInvocationException>(() => InvocationValues.DecodeQueueMessageJson(Json("\"  \"")));
    }
}
