using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Tests.Storage.Support;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Auth;

public sealed class BearerTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Entra_id_connection_sends_a_bearer_token_for_the_storage_scope_and_no_shared_key()
    {
        var transport = new RecordingTransport(r => new StubResponse(201, null, ("x-ms-request-id", "r1")));
        var credential = new FakeTokenCredential("eyJ-test-token");
        var connection = StorageConnection.FromTokenCredential(new Uri("https://archiveacct.blob.core.windows.net"), credential, new StorageOptions { Transport = transport });
        await connection.Blobs.GetContainer("incoming").CreateIfNotExistsAsync(Ct);
        await connection.Queues.GetQueue("ingest").CreateIfNotExistsAsync(Ct);

        var requests = transport.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.Equal("Bearer eyJ-test-token", r.Header("Authorization")));
        Assert.All(requests, r => Assert.Equal(StorageApi.Version, r.Header("x-ms-version")));
        Assert.Equal(new Uri("https://archiveacct.blob.core.windows.net/incoming?restype=container"), requests[0].Uri);
        Assert.Equal(new Uri("https://archiveacct.queue.core.windows.net/ingest"), requests[1].Uri);
        Assert.All(credential.RequestedScopes, s => Assert.Equal([StorageApi.EntraScope], s));
        Assert.True(connection.ImmutabilitySupported);
    }

    [Fact]
    public void Bearer_tokens_are_refused_over_plain_http()
    {
        var transport = new RecordingTransport(r => new StubResponse(201));
        var connection = StorageConnection.FromTokenCredential(new Uri("http://archiveacct.blob.core.windows.net"), new FakeTokenCredential("t"), new StorageOptions { Transport = transport });
        Assert.ThrowsAny<InvalidOperationException>(() => connection.Blobs.GetContainer("incoming").CreateIfNotExistsAsync(Ct).GetAwaiter().GetResult());
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public void Options_pick_the_connection_string_or_service_uri_with_a_credential()
    {
        var fromCs = StorageConnection.FromOptions(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });
        Assert.Equal("devstoreaccount1", fromCs.AccountName);

        var fromUri = StorageConnection.FromOptions(new StorageOptions { ServiceUri = new Uri("https://acct.blob.core.windows.net") }, new FakeTokenCredential("t"));
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), fromUri.QueueServiceUri);

        var missingCredential = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromOptions(new StorageOptions { ServiceUri = new Uri("https://acct.blob.core.windows.net") }));
        Assert.Contains("TokenCredential", missingCredential.Message, StringComparison.Ordinal);
        var nothing = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromOptions(new StorageOptions()));
        Assert.Contains(StorageOptions.SettingKeys.ConnectionString, nothing.Message, StringComparison.Ordinal);
    }
}
