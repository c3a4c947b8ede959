using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Blobs;

public sealed class BlobBatchResponseParserTests
{
    private const string Boundary = "batchresponse_66925647-d0cb-4109-b6d3-28efe3e1e5ed";
    private const string ContentType = "multipart/mixed; boundary=" + Boundary;

    // Shaped like the example in the Blob Batch REST reference, with the parts out of order and an error body.
    private static readonly string DocumentedBody = Crlf($$"""
        --{{Boundary}}
        Content-Type: application/http
        Content-ID: 1

        HTTP/1.1 404 The specified blob does not exist.
        x-ms-error-code: BlobNotFound
        x-ms-request-id: 778fdc83-801e-0000-62ff-0334671e2852
        x-ms-version: 2018-11-09
        Content-Length: 216
        Content-Type: application/xml

        <?xml version="1.0" encoding="utf-8"?>
        <Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.
        RequestId:778fdc83-801e-0000-62ff-0334671e2852
        Time:2018-06-14T16:46:54.6040685Z</Message></Error>
        --{{Boundary}}
        Content-Type: application/http
        Content-ID: 0

        HTTP/1.1 202 Accepted
        x-ms-delete-type-permanent: true
        x-ms-request-id: 778fdc83-801e-0000-62ff-0334671e284f
        x-ms-version: 2018-11-09

        --{{Boundary}}
        Content-Type: application/http
        Content-ID: 3

        HTTP/1.1 409 This operation is not permitted because the blob has snapshots.
        x-ms-error-code: SnapshotsPresent
        x-ms-request-id: 778fdc83-801e-0000-62ff-0334671e2854

        --{{Boundary}}
        Content-Type: application/http
        Content-ID: 2

        HTTP/1.1 412 The condition specified using HTTP conditional header(s) is not met.
        x-ms-error-code: ConditionNotMet

        --{{Boundary}}--
        """);

    [Fact]
    public void Each_part_is_matched_to_its_sub_request_by_content_id()
    {
        var results = BlobBatchResponseParser.Parse(ContentType, DocumentedBody, 4, 202, "outer");

        Assert.Equal([BlobBatchDeleteOutcome.Deleted, BlobBatchDeleteOutcome.NotFound, BlobBatchDeleteOutcome.PreconditionFailed, BlobBatchDeleteOutcome.Failed], results.Select(r => r.Outcome).ToArray());
        Assert.Equal([202, 404, 412, 409], results.Select(r => r.Status).ToArray());
        Assert.Equal("BlobNotFound", results[1].ErrorCode);
        Assert.Equal("778fdc83-801e-0000-62ff-0334671e2852", results[1].RequestId);
        Assert.Equal("ConditionNotMet", results[2].ErrorCode);
        var error = Assert.IsType<StorageRequestException>(results[3].Error);
        Assert.Equal(409, error.Status);
        Assert.Equal("SnapshotsPresent", error.ErrorCode);
        Assert.Equal("DeleteBlob", error.Operation);
        Assert.Contains("blob has snapshots", error.Message, StringComparison.Ordinal);
        Assert.Null(results[0].Error);
    }

    [Fact]
    public void Bare_line_feeds_a_preamble_and_a_quoted_boundary_are_accepted()
    {
        var body = "preamble to ignore\n" + DocumentedBody.Replace("\r\n", "\n", StringComparison.Ordinal) + "\nepilogue";
        var results = BlobBatchResponseParser.Parse($"multipart/mixed; charset=utf-8; boundary=\"{Boundary}\"", body, 4, 202, null);
        Assert.Equal([202, 404, 412, 409], results.Select(r => r.Status).ToArray());
    }

    [Fact]
    public void Parts_without_content_ids_are_matched_in_order_when_every_sub_request_is_answered()
    {
        var body = Crlf($"""
            --{Boundary}
            Content-Type: application/http

            HTTP/1.1 202 Accepted

            --{Boundary}
            Content-Type: application/http

            HTTP/1.1 404 Not Found
            x-ms-error-code: BlobNotFound

            --{Boundary}--
            """);
        var results = BlobBatchResponseParser.Parse(ContentType, body, 2, 202, null);
        Assert.Equal([BlobBatchDeleteOutcome.Deleted, BlobBatchDeleteOutcome.NotFound], results.Select(r => r.Outcome).ToArray());
    }

    [Fact]
    public void One_part_without_content_id_refusing_the_whole_batch_is_an_exception_for_the_batch()
    {
        // What Azurite answers to a body it cannot parse, and the service to a batch it refuses outright.
        var body = Crlf($"""
            --{Boundary}
            Content-Type: application/http

            HTTP/1.1 400 One of the request inputs is not valid.
            x-ms-error-code: InvalidInput
            x-ms-request-id: sub-1

            --{Boundary}--
            """);
        var ex = Assert.Throws<StorageRequestException>(() => BlobBatchResponseParser.Parse(ContentType, body, 3, 202, "outer"));
        Assert.Equal(400, ex.Status);
        Assert.Equal("InvalidInput", ex.ErrorCode);
        Assert.Equal("BlobBatch", ex.Operation);
        Assert.Equal("sub-1", ex.RequestId);
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "not multipart", "application/xml", DocumentedBody },
        { "no boundary parameter", "multipart/mixed", DocumentedBody },
        { "another boundary", "multipart/mixed; boundary=other", DocumentedBody },
        { "empty body", ContentType, string.Empty },
        { "no closing delimiter", ContentType, DocumentedBody[..DocumentedBody.LastIndexOf("--" + Boundary + "--", StringComparison.Ordinal)] },
        { "truncated in a part", ContentType, DocumentedBody[..200] },
        { "status line is not HTTP", ContentType, DocumentedBody.Replace("HTTP/1.1 202 Accepted", "FTP 202 Accepted", StringComparison.Ordinal) },
        { "status is not a number", ContentType, DocumentedBody.Replace("HTTP/1.1 202 Accepted", "HTTP/1.1 2O2 Accepted", StringComparison.Ordinal) },
        { "status out of range", ContentType, DocumentedBody.Replace("HTTP/1.1 202 Accepted", "HTTP/1.1 999 Odd", StringComparison.Ordinal) },
        { "part without a blank line", ContentType, Crlf($"--{Boundary}\nContent-Type: application/http\nContent-ID: 0\n--{Boundary}--") },
        { "header line without a colon", ContentType, DocumentedBody.Replace("x-ms-delete-type-permanent: true", "x-ms-delete-type-permanent true", StringComparison.Ordinal) },
        { "content id not a number", ContentType, DocumentedBody.Replace("Content-ID: 3", "Content-ID: three", StringComparison.Ordinal) },
        { "content id out of range", ContentType, DocumentedBody.Replace("Content-ID: 3", "Content-ID: 7", StringComparison.Ordinal) },
        { "negative content id", ContentType, DocumentedBody.Replace("Content-ID: 3", "Content-ID: -1", StringComparison.Ordinal) },
        { "duplicate content id", ContentType, DocumentedBody.Replace("Content-ID: 3", "Content-ID: 0", StringComparison.Ordinal) },
        { "one part lacks its content id", ContentType, DocumentedBody.Replace("Content-ID: 3\r\n", string.Empty, StringComparison.Ordinal) },
        { "a sub-request is unanswered", ContentType, DocumentedBody[..DocumentedBody.IndexOf("--" + Boundary + "\r\nContent-Type: application/http\r\nContent-ID: 2", StringComparison.Ordinal)] + "--" + Boundary + "--" },
        { "text after the delimiter", ContentType, DocumentedBody.Replace("--" + Boundary + "\r\nContent-Type: application/http\r\nContent-ID: 0", "--" + Boundary + "junk\r\nContent-Type: application/http\r\nContent-ID: 0", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_response_is_a_storage_request_exception_for_the_batch(string why, string contentType, string body)
    {
        var ex = Assert.Throws<StorageRequestException>(() => BlobBatchResponseParser.Parse(contentType, body, 4, 202, "outer-request"));
        Assert.Equal("BlobBatch", ex.Operation);
        Assert.Equal(202, ex.Status);
        Assert.Equal("outer-request", ex.RequestId);
        Assert.False(string.IsNullOrEmpty(why));
    }

    private static string Crlf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
}
