using System.Text;
using Azure.Storage.Queues;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Tests.KeyVault;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage;

/// <summary>How a <see cref="StorageConnection"/> is built from configuration and what it resolves by itself.</summary>
public sealed class StorageConnectionTests(AzuriteFixture azurite)
{
    private const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwMTIzNDU2Nzg5MA==";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Options_pick_the_connection_string_or_the_service_uri_with_a_credential()
    {
        var fromCs = StorageConnection.FromOptions(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });
        Assert.Equal("devstoreaccount1", fromCs.AccountName);
        Assert.Equal(StorageCredentialKind.SharedKey, fromCs.CredentialKind);

        var fromUri = StorageConnection.FromOptions(new StorageOptions { ServiceUri = new Uri("https://acct.blob.core.windows.net") }, new FakeTokenCredential());
        Assert.Equal(StorageCredentialKind.EntraId, fromUri.CredentialKind);
        Assert.Equal("acct", fromUri.AccountName);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), fromUri.Queues.Uri);

        var missingCredential = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromOptions(new StorageOptions { ServiceUri = new Uri("https://acct.blob.core.windows.net") }));
        Assert.Contains("TokenCredential", missingCredential.Message, StringComparison.Ordinal);
        var nothing = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromOptions(new StorageOptions()));
        Assert.Contains(StorageOptions.SettingKeys.ConnectionString, nothing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entra_id_connection_uses_the_configured_queue_endpoint_or_none_when_it_cannot_be_derived()
    {
        var configured = StorageConnection.FromTokenCredential(new Uri("https://acct.blob.core.windows.net"), new FakeTokenCredential(), new StorageOptions { QueueServiceUri = new Uri("https://queues.example.net/acct") });
        Assert.Equal(new Uri("https://queues.example.net/acct"), configured.Queues.Uri);

        var custom = StorageConnection.FromTokenCredential(new Uri("https://files.example.net"), new FakeTokenCredential());
        Assert.Null(custom.QueuesOrNull);
    }

    [Fact]
    public async Task An_entra_id_connection_sends_bearer_tokens_for_the_storage_scope_on_blobs_and_queues()
    {
        var transport = new RecordingTransport(_ => new StubResponse(201, null, ("x-ms-request-id", "r1")));
        var credential = new FakeTokenCredential();
        var connection = StorageConnection.FromTokenCredential(new Uri("https://archiveacct.blob.core.windows.net"), credential, new StorageOptions { ConfigureClient = o => o.Transport = transport });

        await connection.Blobs.GetBlobContainerClient("incoming").CreateIfNotExistsAsync(cancellationToken: Ct);
        await connection.Queues.GetQueueClient("ingest").CreateIfNotExistsAsync(cancellationToken: Ct);

        var requests = transport.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.Equal("Bearer " + FakeTokenCredential.TokenFor(StorageApi.EntraScope, null), r.Header("Authorization")));
        Assert.Equal("archiveacct.blob.core.windows.net", requests[0].Uri.Host);
        Assert.Equal("archiveacct.queue.core.windows.net", requests[1].Uri.Host);
        Assert.All(credential.Requests, r => Assert.Equal([StorageApi.EntraScope], r.Scopes));
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", false)]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";BlobEndpoint=http://127.0.0.1:10000/acct", false)]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";BlobEndpoint=https://10.1.2.3/acct", false)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Key, true)]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";BlobEndpoint=https://storage.example.net", true)]
    public void Immutability_defaults_to_off_for_the_emulator_and_ip_endpoints_and_on_for_named_hosts(string connectionString, bool expected)
    {
        Assert.Equal(expected, StorageConnection.FromConnectionString(connectionString).ImmutabilitySupported);
        Assert.True(StorageConnection.FromConnectionString(connectionString, new StorageOptions { ImmutabilitySupported = true }).ImmutabilitySupported);
        Assert.False(StorageConnection.FromConnectionString(connectionString, new StorageOptions { ImmutabilitySupported = false }).ImmutabilitySupported);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", true)]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";BlobEndpoint=http://127.0.0.1:10000/acct", true)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Key, false)]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";BlobEndpoint=https://storage.example.net", false)]
    public void A_connection_knows_whether_it_is_the_local_emulator(string connectionString, bool expected)
    {
        Assert.Equal(expected, StorageConnection.FromConnectionString(connectionString).IsLocalEmulator);
    }

    [Fact]
    public void Azurite_reached_by_host_name_with_its_published_key_is_the_local_emulator()
    {
        // doctor skips the platform controls for it; treated as Azure, its Shared Key probe reported a false failure.
        var azurite = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={StorageApi.DevelopmentAccountKey};BlobEndpoint=http://azurite:10000/devstoreaccount1;";

        var connection = StorageConnection.FromConnectionString(azurite);

        Assert.True(connection.IsLocalEmulator);
        Assert.False(connection.ImmutabilitySupported);
    }

    [Fact]
    public async Task UseDevelopmentStorage_points_at_the_default_azurite_ports_with_the_well_known_account()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");
        Assert.True(parsed.IsDevelopmentStorage);
        Assert.True(parsed.IsPublicDevelopmentKey);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueEndpoint);
        Assert.Equal(StorageApi.DevelopmentAccountKey, parsed.AccountKey);

        // The same account, reached through this run's private ports, signs correctly.
        var cs = $"AccountName={StorageApi.DevelopmentAccountName};AccountKey={StorageApi.DevelopmentAccountKey};BlobEndpoint={azurite.Azurite.BlobServiceUri};QueueEndpoint={azurite.Azurite.QueueServiceUri}";
        var connection = StorageConnection.FromConnectionString(cs);
        Assert.NotNull(await connection.Blobs.GetBlobContainerClient(AzuriteFixture.UniqueName("dev")).CreateIfNotExistsAsync(cancellationToken: Ct));
        Assert.NotNull(await connection.Queues.GetQueueClient(AzuriteFixture.UniqueName("dev")).CreateIfNotExistsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task An_account_sas_connection_string_reaches_blobs_and_queues()
    {
        var sas = AccountSas.Create(azurite.Azurite.AccountName, azurite.Azurite.AccountKey, DateTimeOffset.UtcNow.AddHours(1));
        var connection = StorageConnection.FromConnectionString($"BlobEndpoint={azurite.Azurite.BlobServiceUri};QueueEndpoint={azurite.Azurite.QueueServiceUri};SharedAccessSignature={sas}");
        Assert.Equal(StorageCredentialKind.SharedAccessSignature, connection.CredentialKind);
        Assert.Equal(azurite.Azurite.AccountName, connection.AccountName);

        var container = connection.Blobs.GetBlobContainerClient(AzuriteFixture.UniqueName("sas"));
        await container.CreateAsync(cancellationToken: Ct);
        await TestData.PutTextAsync(container.GetBlobClient("a/b.txt"), "via sas");
        var listed = new List<string>();
        await foreach (var item in StorageListing.ListAsync(container, "a/", default, Ct))
        {
            listed.Add(item.Name);
        }

        Assert.Equal(["a/b.txt"], listed);
        Assert.Equal("via sas", await TestData.DownloadTextAsync(container.GetBlobClient("a/b.txt")));

        var queue = connection.Queues.GetQueueClient(AzuriteFixture.UniqueName("sas"));
        await queue.CreateAsync(cancellationToken: Ct);
        await queue.SendMessageAsync("hi", Ct);
        Assert.Equal("hi", Assert.Single((await queue.ReceiveMessagesAsync(cancellationToken: Ct)).Value).MessageText);
    }

    [Fact]
    public async Task Queue_messages_are_base64_on_the_wire_by_default_as_the_functions_queue_trigger_expects()
    {
        var queue = await azurite.CreateQueueAsync("b64", cancellationToken: Ct);
        const string text = "Grüße ✓ <tag> & control";
        await queue.SendMessageAsync(text, Ct);
        Assert.Equal(text, Assert.Single((await queue.PeekMessagesAsync(cancellationToken: Ct)).Value).Body.ToString());

        var raw = azurite.CreateConnection(new StorageOptions { QueueMessageEncoding = QueueMessageEncoding.None }).Queues.GetQueueClient(queue.Name);
        var wire = Assert.Single((await raw.PeekMessagesAsync(cancellationToken: Ct)).Value).Body.ToString();
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), wire);
    }
}
