using System.Text.Json;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.Middleware;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>The queue message text as host.json's <c>messageEncoding: none</c> hands it over: raw JSON or base64 of it, nothing else.</summary>
public sealed class QueueMessageTextTests
{
    [Theory]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("[{\"a\":1}]", "[{\"a\":1}]")]
    [InlineData("  \n{\"a\":1}\r\n ", "{\"a\":1}")]
    public void Raw_json_is_taken_as_is(string text, string expected)
    {
        Assert.Equal(expected, QueueMessageText.DecodeJson(text));
    }

    [Theory]
    [InlineData("{\"a\":\"ü\"}")]
    [InlineData("[1,2]")]
    [InlineData(" {\"padded\":true} ")]
    public void Base64_of_json_is_decoded(string json)
    {
        Assert.Equal(json.Trim(), QueueMessageText.DecodeJson(Payloads.Base64(json)));
        Assert.Equal(json.Trim(), QueueMessageText.DecodeJson(" " + Payloads.Base64(json) + "\n"));
    }

    [Fact]
    public void A_whole_event_round_trips_through_base64()
    {
        var json = Payloads.EventGridEvent();

        using var decoded = JsonDocument.Parse(QueueMessageText.DecodeJson(Payloads.Base64(json)));

        Assert.Equal(Payloads.EventId, decoded.RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    public void Empty_text_is_rejected(string? text)
    {
        var ex = Assert.Throws<InvalidMessageException>(() => QueueMessageText.DecodeJson(text));

        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 and not json")]
    [InlineData("\"a json string\"")]
    [InlineData("42")]
    [InlineData("abc")]
    [InlineData("eyJhIjoxfQ=")] // base64 of {"a":1} with its padding cut short
    public void Text_that_is_neither_json_nor_base64_is_rejected(string text)
    {
        var ex = Assert.Throws<InvalidMessageException>(() => QueueMessageText.DecodeJson(text));

        Assert.Contains("neither JSON nor base64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base64_that_is_not_utf8_is_rejected()
    {
        var ex = Assert.Throws<InvalidMessageException>(() => QueueMessageText.DecodeJson(Convert.ToBase64String([0x7b, 0xff, 0xfe])));

        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("\"quoted\"")]
    [InlineData("   ")]
    [InlineData("42")]
    public void Base64_of_anything_but_json_is_rejected(string decoded)
    {
        var ex = Assert.Throws<InvalidMessageException>(() => QueueMessageText.DecodeJson(Payloads.Base64(decoded)));

        Assert.Contains("does not decode to JSON", ex.Message, StringComparison.Ordinal);
    }
}
