using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Core;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Core.Audit;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage;

/// <summary>
/// What reaches a caller (and so every log that prints an exception) when storage refuses or cannot be reached: a
/// <see cref="StorageRequestException"/> with status, code and request id, and never a key, a signature or the SDK's
/// own exception (whose message carries the service's authentication detail).
/// </summary>
public sealed class StorageErrorTests(AzuriteFixture azurite)
{
    private const string WrongKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_wrong_account_key_surfaces_from_an_adapter_as_a_403_without_key_or_signature()
    {
        var container = await azurite.CreateContainerAsync("wrongkey", cancellationToken: Ct);
        var requests = new RequestRecordingPolicy();
        var cs = azurite.ConnectionString.Replace(azurite.Azurite.AccountKey, WrongKey, StringComparison.Ordinal);
        var connection = StorageConnection.FromConnectionString(cs, new StorageOptions { ConfigureClient = requests.AddTo });
        var store = new BlobArchiveStore(connection.Blobs.GetBlobContainerClient(container.Name), connection.Options);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => store.GetInfoAsync("studies/s/i.dcm.enc", Ct));

        Assert.Equal(403, ex.Status);
        Assert.True(ex.IsAuthenticationFailure);
        Assert.Equal("GetBlobProperties", ex.Operation);
        Assert.Contains("account key, SAS or token is valid and not expired", ex.Message, StringComparison.Ordinal);
        var signature = SharedKeySignature(Assert.Single(requests.Requests));
        AssertFreeOfSecrets(ex, WrongKey, signature);
        AssertFreeOfSecrets(ex, azurite.Azurite.AccountKey, signature);
    }

    [Fact]
    public async Task A_refused_listing_page_is_typed_too()
    {
        var container = await azurite.CreateContainerAsync("wronglist", cancellationToken: Ct);
        var cs = azurite.ConnectionString.Replace(azurite.Azurite.AccountKey, WrongKey, StringComparison.Ordinal);
        var connection = StorageConnection.FromConnectionString(cs);
        var store = new BlobAuditLogStore(connection.Blobs.GetBlobContainerClient(container.Name));

        var ex = await Assert.ThrowsAsync<StorageRequestException>(async () =>
        {
            await foreach (var blob in store.ListAsync(AuditBlobName.Root, Ct))
            {
                Assert.Fail($"listed {blob.Name} with a wrong key");
            }
        });

        Assert.Equal(403, ex.Status);
        Assert.Equal("ListBlobs", ex.Operation);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public async Task An_expired_sas_surfaces_from_an_adapter_as_a_403_without_the_signature()
    {
        var container = await azurite.CreateContainerAsync("expired", cancellationToken: Ct);
        await TestData.PutTextAsync(container.GetBlobClient("studies/s/i.dcm.enc"), "x");
        var sas = AccountSas.Create(azurite.Azurite.AccountName, azurite.Azurite.AccountKey, DateTimeOffset.UtcNow.AddMinutes(-5));
        var signature = Uri.UnescapeDataString(sas[(sas.IndexOf("sig=", StringComparison.Ordinal) + 4)..]);
        var connection = StorageConnection.FromConnectionString($"BlobEndpoint={azurite.Azurite.BlobServiceUri};SharedAccessSignature={sas}");
        var store = new BlobArchiveStore(connection.Blobs.GetBlobContainerClient(container.Name), connection.Options);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => store.OpenReadAsync("studies/s/i.dcm.enc", Ct));

        Assert.Equal(403, ex.Status);
        Assert.True(ex.IsAuthenticationFailure);
        Assert.Equal("GetBlob", ex.Operation);
        AssertFreeOfSecrets(ex, azurite.Azurite.AccountKey, signature);
        AssertFreeOfSecrets(ex, azurite.Azurite.AccountKey, Uri.EscapeDataString(signature));
    }

    [Fact]
    public async Task Storage_that_cannot_be_reached_is_a_typed_error_with_status_zero_after_the_retries()
    {
        var port = ClosedPort();
        var connection = StorageConnection.FromConnectionString(
            $"AccountName={StorageApi.DevelopmentAccountName};AccountKey={StorageApi.DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{port}/{StorageApi.DevelopmentAccountName}",
            new StorageOptions { ConfigureClient = o => { o.Retry.MaxRetries = 2; o.Retry.Delay = TimeSpan.FromMilliseconds(1); o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5); } });
        var store = new BlobArchiveStore(connection.Blobs.GetBlobContainerClient("archive"), connection.Options);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => store.GetInfoAsync("studies/s/i.dcm.enc", Ct));

        Assert.Equal(0, ex.Status);
        Assert.Equal("GetBlobProperties", ex.Operation);
        Assert.Contains("No response", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
        Assert.DoesNotContain(StorageApi.DevelopmentAccountKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_services_authentication_detail_with_its_string_to_sign_never_reaches_the_exception()
    {
        const string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code>"
            + "<Message>Server failed to authenticate the request.\nRequestId:1</Message>"
            + "<AuthenticationErrorDetail>The MAC signature found in the HTTP request 'QmFkU2lnbmF0dXJlVmFsdWU=' is not the same as any computed signature. Server used following string to sign: 'GET\n\n/acct/c'.</AuthenticationErrorDetail></Error>";
        var (store, _) = Stubbed(_ => new StubResponse(403, Encoding.UTF8.GetBytes(body), ("x-ms-error-code", "AuthenticationFailed"), ("x-ms-request-id", "req-403")));

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => store.GetInfoAsync("b", Ct));

        Assert.True(ex.IsAuthenticationFailure);
        Assert.Equal("AuthenticationFailed", ex.ErrorCode);
        Assert.Equal("req-403", ex.RequestId);
        Assert.DoesNotContain("QmFkU2lnbmF0dXJlVmFsdWU=", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("string to sign", ex.ToString(), StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public async Task Persistent_server_errors_end_in_a_typed_exception_with_code_and_request_id_after_the_retries()
    {
        var (store, transport) = Stubbed(
            _ => new StubResponse(500, Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>The server encountered an internal error.\nRequestId:abc\nTime:2026</Message></Error>"), ("x-ms-error-code", "InternalError"), ("x-ms-request-id", "req-500")),
            maxRetries: 2);

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => store.DeleteIfExistsAsync("b", Ct));

        Assert.Equal(3, transport.Requests.Count);
        Assert.Equal(500, ex.Status);
        Assert.Equal("InternalError", ex.ErrorCode);
        Assert.Equal("req-500", ex.RequestId);
        Assert.Equal("DeleteBlob", ex.Operation);
        Assert.DoesNotContain("Time:2026", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_messages_that_echo_signatures_are_redacted()
    {
        Assert.Equal("bad sig=REDACTED here", StorageErrors.Sanitize("bad sig=AbCdEfGh1234567890%2B here\nRequestId:x"));
        Assert.Equal("header SharedKey acct:REDACTED", StorageErrors.Sanitize("header SharedKey acct:QmFkU2lnbmF0dXJlVmFsdWU="));
        Assert.Null(StorageErrors.Sanitize("  "));
    }

    private static (BlobArchiveStore Store, RecordingTransport Transport) Stubbed(Func<RecordedRequest, StubResponse> responder, int maxRetries = 0)
    {
        var transport = new RecordingTransport(responder);
        var connection = StorageConnection.FromConnectionString(
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwMTIzNDU2Nzg5MA==",
            new StorageOptions { ConfigureClient = o => ConfigureStub(o, transport, maxRetries) });
        return (new BlobArchiveStore(connection.Blobs.GetBlobContainerClient("archive"), connection.Options), transport);
    }

    private static void ConfigureStub(ClientOptions options, RecordingTransport transport, int maxRetries)
    {
        options.Transport = transport;
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
    }

    /// <summary>The HMAC part of <c>Authorization: SharedKey account:signature</c>.</summary>
    private static string SharedKeySignature(RecordedRequest request)
    {
        var authorization = request.Header("Authorization");
        Assert.NotNull(authorization);
        Assert.StartsWith("SharedKey ", authorization, StringComparison.Ordinal);
        return authorization[(authorization.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }

    private static void AssertFreeOfSecrets(StorageRequestException ex, string key, string signature)
    {
        Assert.Null(ex.InnerException);
        foreach (var text in new[] { ex.Message, ex.ToString() })
        {
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain("sig=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(signature, text, StringComparison.Ordinal);
            Assert.DoesNotContain("SharedKey", text, StringComparison.Ordinal);
        }
    }

    private static int ClosedPort()
    {
        // Bound and released: nothing listens there for the instant the test needs.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
