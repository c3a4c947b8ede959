using System.Text;
using Azure.Core;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Auth;
using CloudArchive.Azure.Tests.Storage.Support;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Auth;

public sealed class PipelineBehaviourTests
{
    private const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwMTIzNDU2Nzg5MA==";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StorageConnection Connect(RecordingTransport transport, int maxRetries = 3) =>
        StorageConnection.FromConnectionString(
            $"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={Key}",
            new StorageOptions { Transport = transport, Retry = { MaxRetries = maxRetries, Delay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) } });

    [Fact]
    public async Task Transient_503_is_retried_by_azure_core_and_each_try_is_signed_afresh()
    {
        var calls = 0;
        var transport = new RecordingTransport(_ => Interlocked.Increment(ref calls) == 1
            ? new StubResponse(503, Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><Error><Code>ServerBusy</Code><Message>busy</Message></Error>"), ("x-ms-error-code", "ServerBusy"))
            : new StubResponse(201, null, ("ETag", "\"0x2\"")));
        var result = await Connect(transport).Blobs.GetContainer("c1c").GetBlob("b").UploadAsync(TestData.Utf8("abc"), cancellationToken: Ct);

        Assert.Equal("\"0x2\"", result.ETag.ToString("H"));
        var requests = transport.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.StartsWith("SharedKey acct:", r.Header("Authorization"), StringComparison.Ordinal));
        Assert.All(requests, r => Assert.Equal("abc", Encoding.UTF8.GetString(r.Body)));
    }

    [Fact]
    public async Task Persistent_failures_end_in_a_typed_exception_with_code_and_request_id()
    {
        var transport = new RecordingTransport(_ => new StubResponse(500,
            Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>The server encountered an internal error.\nRequestId:abc\nTime:2026</Message></Error>"),
            ("x-ms-request-id", "req-500")));
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => Connect(transport, maxRetries: 2).Blobs.GetContainer("c1c").GetBlob("b").GetTagsAsync(cancellationToken: Ct));
        Assert.Equal(3, transport.Requests.Count);
        Assert.Equal(500, ex.Status);
        Assert.Equal("InternalError", ex.ErrorCode);
        Assert.Equal("req-500", ex.RequestId);
        Assert.Equal("GetBlobTags", ex.Operation);
        Assert.Contains("The server encountered an internal error.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Time:2026", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authentication_error_detail_with_the_servers_string_to_sign_never_reaches_the_exception()
    {
        const string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code>"
            + "<Message>Server failed to authenticate the request.\nRequestId:1</Message>"
            + "<AuthenticationErrorDetail>The MAC signature found in the HTTP request 'QmFkU2lnbmF0dXJlVmFsdWU=' is not the same as any computed signature. Server used following string to sign: 'PUT\n\n/acct/c'.</AuthenticationErrorDetail></Error>";
        var transport = new RecordingTransport(_ => new StubResponse(403, Encoding.UTF8.GetBytes(body), ("x-ms-error-code", "AuthenticationFailed")));
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => Connect(transport).Blobs.GetContainer("c1c").CreateIfNotExistsAsync(Ct));
        Assert.True(ex.IsAuthenticationFailure);
        Assert.DoesNotContain("QmFkU2lnbmF0dXJlVmFsdWU=", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("string to sign", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("Server failed to authenticate the request.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_error_bodies_still_give_status_and_header_error_code()
    {
        var transport = new RecordingTransport(_ => new StubResponse(409, Encoding.UTF8.GetBytes("<not xml"), ("x-ms-error-code", "LeaseAlreadyPresent")));
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => Connect(transport).Blobs.GetContainer("c1c").GetBlob("b").AcquireLeaseAsync(cancellationToken: Ct));
        Assert.True(ex.IsConflict);
        Assert.Equal("LeaseAlreadyPresent", ex.ErrorCode);
    }

    [Fact]
    public void Service_messages_that_echo_signatures_are_redacted()
    {
        Assert.Equal("bad sig=REDACTED here", CloudArchive.Azure.Storage.Http.StorageErrors.Sanitize("bad sig=AbCdEfGh1234567890%2B here\nRequestId:x"));
        Assert.Equal("header SharedKey acct:REDACTED", CloudArchive.Azure.Storage.Http.StorageErrors.Sanitize("header SharedKey acct:QmFkU2lnbmF0dXJlVmFsdWU="));
        Assert.Null(CloudArchive.Azure.Storage.Http.StorageErrors.Sanitize("  "));
    }

    [Fact]
    public void Shared_key_string_to_sign_follows_the_documented_layout()
    {
        var request = HttpClientTransportRequest("PUT", "http://127.0.0.1:10000/devstoreaccount1/c%20c/a%2Fb?comp=block&blockid=QUJD%2BRA%3D%3D&Include=b&include=a");
        request.Headers.SetValue("x-ms-version", "2025-05-05");
        request.Headers.SetValue("x-ms-date", "Sun, 22 Nov 2026 00:00:00 GMT");
        request.Headers.SetValue("X-MS-Meta-Zeta", " z ");
        request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        request.Headers.SetValue("If-None-Match", "*");
        request.Headers.SetValue("Content-Type", "application/octet-stream");
        request.Content = RequestContent.Create(new byte[5]);

        var expected = string.Join('\n',
            "PUT", string.Empty, string.Empty, "5", string.Empty, "application/octet-stream", string.Empty, string.Empty, string.Empty, "*", string.Empty, string.Empty,
            "x-ms-blob-type:BlockBlob", "x-ms-date:Sun, 22 Nov 2026 00:00:00 GMT", "x-ms-meta-zeta:z", "x-ms-version:2025-05-05",
            "/devstoreaccount1/devstoreaccount1/c%20c/a%2Fb", "blockid:QUJD+RA==", "comp:block", "include:a,b");
        Assert.Equal(expected, StorageSharedKeyPolicy.BuildStringToSign(request, "devstoreaccount1"));
    }

    [Fact]
    public void Empty_bodies_sign_an_empty_content_length()
    {
        var request = HttpClientTransportRequest("PUT", "https://acct.blob.core.windows.net/c?restype=container");
        request.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty);
        var lines = StorageSharedKeyPolicy.BuildStringToSign(request, "acct").Split('\n');
        Assert.Equal(string.Empty, lines[3]);
        Assert.Equal("/acct/c", lines[^2]);
        Assert.Equal("restype:container", lines[^1]);
    }

    private static Request HttpClientTransportRequest(string method, string uri)
    {
        var request = global::Azure.Core.Pipeline.HttpClientTransport.Shared.CreateRequest();
        request.Method = RequestMethod.Parse(method);
        request.Uri.Reset(new Uri(uri));
        return request;
    }
}
