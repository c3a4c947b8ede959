using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Tests.KeyVault;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage;

/// <summary>
/// A key or SAS must never travel over plain HTTP to another machine. These only build connections (nothing is sent),
/// so the hosts named here are never contacted.
/// </summary>
public sealed class StorageTransportSecurityTests
{
    private const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwMTIzNDU2Nzg5MA==";
    private const string Signature = "c2lnbmF0dXJlLW9mLXRoZS1zYXM%3D";
    private const string Sas = "sv=2021-08-06&ss=b&srt=sco&sp=rl&se=2030-01-01T00%3A00%3A00Z&sig=" + Signature;

    [Theory]
    [InlineData("http://storage.example.net/acct")]
    [InlineData("http://10.1.2.3:10000/acct")]
    [InlineData("http://acct.blob.core.windows.net")]
    public void A_shared_key_over_plain_http_to_another_host_is_refused_without_echoing_the_key(string endpoint)
    {
        var ex = Assert.Throws<InsecureStorageTransportException>(() =>
            StorageConnection.FromConnectionString($"AccountName=acct;AccountKey={Key};BlobEndpoint={endpoint}"));

        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Shared Key", ex.Message, StringComparison.Ordinal);
        Assert.Contains(new Uri(endpoint).Host, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sas_over_plain_http_to_another_host_is_refused_without_echoing_the_signature()
    {
        var ex = Assert.Throws<InsecureStorageTransportException>(() =>
            StorageConnection.FromConnectionString($"BlobEndpoint=http://storage.example.net/acct;SharedAccessSignature={Sas}"));

        Assert.DoesNotContain("sig=", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.UnescapeDataString(Signature), ex.Message, StringComparison.Ordinal);
        Assert.Contains("shared access signature", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_http_queue_endpoint_is_refused_even_when_the_blob_endpoint_is_https()
    {
        Assert.Throws<InsecureStorageTransportException>(() =>
            StorageConnection.FromConnectionString($"AccountName=acct;AccountKey={Key};BlobEndpoint=https://storage.example.net/acct;QueueEndpoint=http://storage.example.net:10001/acct"));
    }

    [Fact]
    public void The_default_endpoints_protocol_http_for_a_real_account_is_refused()
    {
        Assert.Throws<InsecureStorageTransportException>(() =>
            StorageConnection.FromConnectionString($"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={Key}"));
    }

    [Fact]
    public void Bearer_tokens_over_plain_http_to_another_host_are_refused()
    {
        Assert.Throws<InsecureStorageTransportException>(() =>
            StorageConnection.FromTokenCredential(new Uri("http://acct.blob.core.windows.net"), new FakeTokenCredential()));
    }

    [Theory]
    [InlineData("http://127.0.0.1:10000/acct")]
    [InlineData("http://localhost:10000/acct")]
    [InlineData("http://LOCALHOST:10000/acct")]
    [InlineData("http://[::1]:10000/acct")]
    [InlineData("http://127.0.0.2:10000/acct")]
    public void Plain_http_to_this_machine_is_allowed_for_a_key_and_a_sas(string endpoint)
    {
        Assert.NotNull(StorageConnection.FromConnectionString($"AccountName=acct;AccountKey={Key};BlobEndpoint={endpoint}"));
        Assert.NotNull(StorageConnection.FromConnectionString($"BlobEndpoint={endpoint};SharedAccessSignature={Sas}"));
    }

    [Fact]
    public void Azurites_published_development_key_may_reach_an_azurite_on_another_host_over_http()
    {
        var connection = StorageConnection.FromConnectionString(
            $"AccountName={StorageApi.DevelopmentAccountName};AccountKey={StorageApi.DevelopmentAccountKey};BlobEndpoint=http://azurite:10000/devstoreaccount1;QueueEndpoint=http://azurite:10001/devstoreaccount1");

        Assert.Equal(new Uri("http://azurite:10000/devstoreaccount1"), connection.BlobServiceUri);
        Assert.Equal(StorageCredentialKind.SharedKey, connection.CredentialKind);
    }

    [Fact]
    public void The_development_account_name_with_any_other_key_is_not_exempt()
    {
        Assert.Throws<InsecureStorageTransportException>(() =>
            StorageConnection.FromConnectionString($"AccountName={StorageApi.DevelopmentAccountName};AccountKey={Key};BlobEndpoint=http://azurite:10000/devstoreaccount1"));
    }

    [Fact]
    public void Https_is_always_allowed()
    {
        Assert.Equal(StorageCredentialKind.SharedKey, StorageConnection.FromConnectionString($"AccountName=acct;AccountKey={Key};BlobEndpoint=https://storage.example.net/acct").CredentialKind);
        Assert.Equal(StorageCredentialKind.SharedAccessSignature, StorageConnection.FromConnectionString($"BlobEndpoint=https://storage.example.net/acct;SharedAccessSignature={Sas}").CredentialKind);
        Assert.Equal(StorageCredentialKind.SharedKey, StorageConnection.FromConnectionString($"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={Key}").CredentialKind);
        Assert.Equal(StorageCredentialKind.EntraId, StorageConnection.FromTokenCredential(new Uri("https://acct.blob.core.windows.net"), new FakeTokenCredential()).CredentialKind);
    }
}
