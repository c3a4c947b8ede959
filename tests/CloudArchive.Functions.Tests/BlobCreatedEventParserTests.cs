using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.Middleware;
using Xunit;

namespace CloudArchive.Functions.Tests;

public sealed class BlobCreatedEventParserTests
{
    [Fact]
    public void Escaped_url_names_are_unescaped_and_agree_with_the_subject()
    {
        var e = Assert.Single(BlobCreatedEventParser.Parse(Payloads.EventGridEvent(blob: "2026/ü ß%#.dcm"), "incoming"));

        Assert.Equal("2026/ü ß%#.dcm", e.BlobName);
        Assert.Equal("incoming", e.Container);
        Assert.False(e.IsCloudEvent);
    }

    [Fact]
    public void A_percent_encoded_subject_agrees_with_the_url()
    {
        const string json = """{"id":"1","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/incoming/blobs/dir/ct%201.dcm","data":{"url":"https://acct.blob.core.windows.net/incoming/dir/ct%201.dcm"}}""";

        Assert.Equal("dir/ct 1.dcm", Assert.Single(BlobCreatedEventParser.Parse(json, "incoming")).BlobName);
    }

    [Fact]
    public void Path_style_Azurite_urls_skip_the_account_segment()
    {
        var json = Payloads.EventGridEvent(urlOverride: "http://127.0.0.1:10000/devstoreaccount1/incoming/dir/ct%201.dcm");

        var e = Assert.Single(BlobCreatedEventParser.Parse(json, "incoming"));

        Assert.Equal("dir/ct 1.dcm", e.BlobName);
    }

    [Fact]
    public void An_event_with_only_a_subject_is_accepted()
    {
        const string json = """{"id":"1","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/incoming/blobs/a/b.dcm","data":{}}""";

        var e = Assert.Single(BlobCreatedEventParser.Parse(json, "incoming"));

        Assert.Equal("a/b.dcm", e.BlobName);
        Assert.Null(e.ContentLength);
    }

    [Theory]
    [InlineData("""{"id":"1","eventType":"Microsoft.Storage.BlobCreated","data":{}}""", "neither a subject nor data.url")]
    [InlineData("""{"id":"1","eventType":"Microsoft.Storage.BlobCreated","subject":"/containers/incoming/a.dcm"}""", "subject is not of the form")]
    [InlineData("""{"id":"1","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/incoming/blobs/"}""", "subject is not of the form")]
    [InlineData("""{"id":"1","eventType":"Microsoft.Storage.BlobCreated","data":{"url":"ftp://x/incoming/a"}}""", "not an http(s) URL")]
    [InlineData("""{"id":"1","eventType":"Microsoft.Storage.BlobCreated","data":{"url":"https://acct.blob.core.windows.net/incoming"}}""", "does not name a container and a blob")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/incoming/blobs/a"}""", "has no id")]
    [InlineData("""{"id":"1","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/INCOMING/blobs/a"}""", "not a valid container name")]
    [InlineData("""{"id":"1","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/incoming/blobs/a","eventTime":"yesterday"}""", "not a date-time")]
    [InlineData("""{"id":"1","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/incoming/blobs/a","data":{"contentLength":-1}}""", "contentLength")]
    [InlineData("""[1]""", "not a JSON object")]
    [InlineData("""42""", "neither an event object nor an array")]
    public void Malformed_events_are_rejected_with_a_reason(string json, string reason)
    {
        var ex = Assert.Throws<InvalidMessageException>(() => BlobCreatedEventParser.Parse(json, "incoming"));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_events_in_one_message_are_rejected()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat(Payloads.EventGridEvent(), BlobCreatedEventParser.MaxEventsPerMessage + 1)) + "]";

        Assert.Throws<InvalidMessageException>(() => BlobCreatedEventParser.Parse(json, "incoming"));
    }
}
