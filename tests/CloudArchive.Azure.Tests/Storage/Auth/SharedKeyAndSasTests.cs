using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Auth;

public sealed class SharedKeyAndSasTests(AzuriteFixture azurite)
{
    private const string WrongKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_wrong_account_key_is_a_clear_403_authentication_error_without_key_or_signature()
    {
        var cs = azurite.ConnectionString.Replace(azurite.Azurite.AccountKey, WrongKey, StringComparison.Ordinal);
        var connection = StorageConnection.FromConnectionString(cs, new StorageOptions { Retry = { MaxRetries = 0 } });
        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => connection.Blobs.GetContainer("anything").CreateIfNotExistsAsync(Ct));

        Assert.Equal(403, ex.Status);
        Assert.Contains(ex.ErrorCode, new[] { "AuthenticationFailed", "AuthorizationFailure" }); // Azure says the first, Azurite the second
        Assert.True(ex.IsAuthenticationFailure);
        Assert.Equal("CreateContainer", ex.Operation);
        Assert.Contains("account key, SAS or token is valid and not expired", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SharedKey", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(azurite.Azurite.AccountKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseDevelopmentStorage_points_at_the_default_azurite_ports_with_the_well_known_account()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");
        Assert.True(parsed.IsDevelopmentStorage);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueEndpoint);
        Assert.Equal(StorageApi.DevelopmentAccountKey, parsed.AccountKey);

        // The same account, reached through this run's private ports, signs correctly.
        var cs = $"AccountName={StorageApi.DevelopmentAccountName};AccountKey={StorageApi.DevelopmentAccountKey};BlobEndpoint={azurite.Azurite.BlobServiceUri};QueueEndpoint={azurite.Azurite.QueueServiceUri}";
        var connection = StorageConnection.FromConnectionString(cs);
        Assert.False(connection.ImmutabilitySupported);
        Assert.True(await connection.Blobs.GetContainer(AzuriteFixture.UniqueName("dev")).CreateIfNotExistsAsync(Ct));
        Assert.True(await connection.Queues.GetQueue(AzuriteFixture.UniqueName("dev")).CreateIfNotExistsAsync(Ct));
    }

    [Fact]
    public async Task A_valid_account_sas_connection_string_reaches_blobs_and_queues()
    {
        var sas = AccountSas.Create(azurite.Azurite.AccountName, azurite.Azurite.AccountKey, DateTimeOffset.UtcNow.AddHours(1));
        var connection = StorageConnection.FromConnectionString($"BlobEndpoint={azurite.Azurite.BlobServiceUri};QueueEndpoint={azurite.Azurite.QueueServiceUri};SharedAccessSignature={sas}");
        var container = connection.Blobs.GetContainer(AzuriteFixture.UniqueName("sas"));
        Assert.True(await container.CreateIfNotExistsAsync(Ct));
        await container.GetBlob("a/b.txt").UploadAsync(TestData.Utf8("via sas"), cancellationToken: Ct);
        var listed = await container.ListBlobsAsync(new CloudArchive.Azure.Storage.Blobs.BlobListOptions { Prefix = "a/", PageSize = 1 }, Ct).ToListAsync(Ct);
        Assert.Single(listed);
        Assert.Equal("via sas", await TestData.DownloadTextAsync(container.GetBlob("a/b.txt")));

        var queue = connection.Queues.GetQueue(AzuriteFixture.UniqueName("sas"));
        await queue.CreateIfNotExistsAsync(Ct);
        await queue.SendAsync("hi", cancellationToken: Ct);
        Assert.Equal("hi", Assert.Single(await queue.ReceiveAsync(cancellationToken: Ct)).Text);
    }

    [Fact]
    public async Task An_expired_sas_is_a_clear_403_without_the_signature_in_the_message()
    {
        var sas = AccountSas.Create(azurite.Azurite.AccountName, azurite.Azurite.AccountKey, DateTimeOffset.UtcNow.AddMinutes(-5));
        var signature = Uri.UnescapeDataString(sas[(sas.IndexOf("sig=", StringComparison.Ordinal) + 4)..]);
        var connection = StorageConnection.FromConnectionString(
            $"BlobEndpoint={azurite.Azurite.BlobServiceUri};SharedAccessSignature={sas}", new StorageOptions { Retry = { MaxRetries = 0 } });

        var ex = await Assert.ThrowsAsync<StorageRequestException>(() => connection.Blobs.GetContainer(AzuriteFixture.UniqueName("expired")).CreateIfNotExistsAsync(Ct));
        Assert.Equal(403, ex.Status);
        Assert.True(ex.IsAuthenticationFailure);
        Assert.Contains("not expired", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(signature), ex.ToString(), StringComparison.Ordinal);
    }
}
