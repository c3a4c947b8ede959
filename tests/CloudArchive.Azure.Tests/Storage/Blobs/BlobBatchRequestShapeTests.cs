using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core.Diagnostics;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed partial class BlobBatchRequestShapeTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_entra_id_every_sub_request_carries_the_same_cached_bearer_token()
    {
        var transport = new RecordingTransport(AnswerEveryPartAccepted);
        var credential = new FakeTokenCredential("eyJ-test-token");
        var connection = StorageConnection.FromTokenCredential(new Uri("https://archiveacct.blob.core.windows.net"), credential, new StorageOptions { Transport = transport });

        var results = await connection.Blobs.GetContainer("incoming").DeleteBatchAsync(
            [new BlobBatchDelete("a b/ü#1.dcm", new BlobRequestConditions { IfMatch = new ETag("\"0x1\"") }, IncludeSnapshots: true), new BlobBatchDelete("c.dcm")],
            Ct);

        Assert.All(results, r => Assert.Equal(BlobBatchDeleteOutcome.Deleted, r.Outcome));
        var request = Assert.Single(transport.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(new Uri("https://archiveacct.blob.core.windows.net/incoming?restype=container&comp=batch"), request.Uri);
        Assert.Equal("Bearer eyJ-test-token", request.Header("Authorization"));
        Assert.StartsWith("multipart/mixed; boundary=batch_", request.Header("Content-Type"), StringComparison.Ordinal);
        var body = Encoding.UTF8.GetString(request.Body);
        var boundary = request.Header("Content-Type")!["multipart/mixed; boundary=".Length..];
        Assert.EndsWith("--" + boundary + "--\r\n", body, StringComparison.Ordinal);
        var parts = body[..body.LastIndexOf("--" + boundary + "--", StringComparison.Ordinal)].Split("--" + boundary + "\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, parts.Length);
        Assert.Contains("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 0\r\n\r\nDELETE /incoming/a%20b/%C3%BC%231.dcm HTTP/1.1\r\n", parts[0], StringComparison.Ordinal);
        Assert.Contains("If-Match: \"0x1\"\r\n", parts[0], StringComparison.Ordinal);
        Assert.Contains("x-ms-delete-snapshots: include\r\n", parts[0], StringComparison.Ordinal);
        Assert.Contains("Content-ID: 1\r\n\r\nDELETE /incoming/c.dcm HTTP/1.1\r\n", parts[1], StringComparison.Ordinal);
        Assert.DoesNotContain("x-ms-delete-snapshots", parts[1], StringComparison.Ordinal);
        Assert.All(parts, p => Assert.Contains("Authorization: Bearer eyJ-test-token\r\n", p, StringComparison.Ordinal));
        Assert.All(parts, p => Assert.Matches(@"x-ms-date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n", p));
        Assert.All(parts, p => Assert.EndsWith("Content-Length: 0\r\n\r\n", p, StringComparison.Ordinal));
        Assert.Single(credential.RequestedScopes); // the sub-requests and the outer request share one token
    }

    [Fact]
    public async Task With_content_logging_on_the_deletes_go_one_by_one_so_no_sub_request_credential_is_in_a_body()
    {
        var transport = new RecordingTransport(r => r.Uri.AbsolutePath.EndsWith("/missing", StringComparison.Ordinal) ? new StubResponse(404, null, ("x-ms-error-code", "BlobNotFound")) : new StubResponse(202));
        var options = new StorageOptions { Transport = transport, Retry = { MaxRetries = 0 } };
        options.Diagnostics.IsLoggingContentEnabled = true;
        var connection = StorageConnection.FromConnectionString($"AccountName=acct;AccountKey={StorageApi.DevelopmentAccountKey};BlobEndpoint=https://acct.blob.core.windows.net", options);

        var results = await connection.Blobs.GetContainer("incoming").DeleteBatchAsync([new BlobBatchDelete("present"), new BlobBatchDelete("missing")], Ct);

        Assert.Equal([BlobBatchDeleteOutcome.Deleted, BlobBatchDeleteOutcome.NotFound], results.Select(r => r.Outcome).ToArray());
        Assert.All(transport.Requests, r => Assert.Equal("DELETE", r.Method));
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task Azure_core_logs_of_a_batch_contain_no_sub_request_signature()
    {
        var logs = new ConcurrentQueue<string>();
        using var listener = new AzureEventSourceListener((_, message) => logs.Enqueue(message), EventLevel.Verbose);
        var container = await azurite.CreateContainerAsync("batchlogs", cancellationToken: Ct);
        await container.GetBlob("a").UploadAsync(TestData.Utf8("a"), cancellationToken: Ct);

        var results = await container.DeleteBatchAsync([new BlobBatchDelete("a"), new BlobBatchDelete("b")], Ct);

        Assert.Equal([BlobBatchDeleteOutcome.Deleted, BlobBatchDeleteOutcome.NotFound], results.Select(r => r.Outcome).ToArray());
        var all = string.Join("\n", logs);
        Assert.Contains("comp=batch", all, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedKey " + StorageApi.DevelopmentAccountName + ":", all, StringComparison.Ordinal);
    }

    /// <summary>A service stand-in that accepts every sub-request of a batch (by Content-ID) and any other request.</summary>
    private static StubResponse AnswerEveryPartAccepted(RecordedRequest request)
    {
        if (request.Method != "POST")
        {
            return new StubResponse(202);
        }

        var body = new StringBuilder();
        foreach (Match id in ContentId().Matches(Encoding.UTF8.GetString(request.Body)))
        {
            body.Append("--batchresponse_x\r\nContent-Type: application/http\r\nContent-ID: ").Append(id.Groups[1].Value)
                .Append("\r\n\r\nHTTP/1.1 202 Accepted\r\nx-ms-delete-type-permanent: true\r\n\r\n");
        }

        body.Append("--batchresponse_x--\r\n");
        return new StubResponse(202, Encoding.UTF8.GetBytes(body.ToString()), ("Content-Type", "multipart/mixed; boundary=batchresponse_x"));
    }

    [GeneratedRegex(@"Content-ID: (\d+)\r\n")]
    private static partial Regex ContentId();
}
