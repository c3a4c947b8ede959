using Azure.Core;
using Azure.Storage.Queues;
using CloudArchive.Azure.Storage;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage;

public sealed class ConfigurationTests
{
    private const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwMTIzNDU2Nzg5MA==";

    [Fact]
    public void Account_key_connection_string_derives_https_blob_and_queue_endpoints()
    {
        var cs = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=archive01;AccountKey={Key};EndpointSuffix=core.windows.net");
        Assert.Equal("archive01", cs.AccountName);
        Assert.Equal(new Uri("https://archive01.blob.core.windows.net"), cs.BlobEndpoint);
        Assert.Equal(new Uri("https://archive01.queue.core.windows.net"), cs.QueueEndpoint);
        Assert.False(cs.IsDevelopmentStorage);
        Assert.DoesNotContain(Key, cs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_endpoints_win_and_path_style_endpoints_give_the_account()
    {
        var cs = StorageConnectionString.Parse($"BlobEndpoint=http://127.0.0.1:41000/devstoreaccount1/;SharedAccessSignature=?sv=2021-08-06&sig=abc");
        Assert.Equal("devstoreaccount1", cs.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:41000/devstoreaccount1"), cs.BlobEndpoint);
        Assert.Null(cs.QueueEndpoint);
        Assert.Equal("sv=2021-08-06&sig=abc", cs.SharedAccessSignature);
        Assert.DoesNotContain("sig=abc", cs.ToString(), StringComparison.Ordinal);
        var connection = StorageConnection.FromConnectionString("BlobEndpoint=http://127.0.0.1:41000/devstoreaccount1/;SharedAccessSignature=sv=x&sig=y");
        Assert.Null(connection.QueuesOrNull);
        var noQueue = Assert.Throws<InvalidOperationException>(() => connection.Queues.GetQueueClient("q1q"));
        Assert.Contains("QueueEndpoint", noQueue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccountName=a")]
    [InlineData("AccountKey=" + Key)]
    [InlineData("AccountName=a;AccountKey=not-base64!")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";SharedAccessSignature=sig=x")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";BlobEndpoint=ftp://x")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";DefaultEndpointsProtocol=gopher")]
    [InlineData("garbage")]
    [InlineData("AccountName=a;AccountName=b;AccountKey=" + Key)]
    public void Bad_connection_strings_are_format_errors_that_never_echo_the_key(string connectionString)
    {
        var ex = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-base64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_are_read_from_the_documented_keys()
    {
        var settings = new Dictionary<string, string?>
        {
            ["CloudArchive:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["CloudArchive:Storage:ImmutabilitySupported"] = "true",
            ["CloudArchive:Storage:SingleUploadThresholdBytes"] = "1048576",
            ["CloudArchive:Storage:BlockSizeBytes"] = "4194304",
            ["CloudArchive:Storage:MaxUploadConcurrency"] = "2",
            ["CloudArchive:Storage:QueueMessageEncoding"] = "none",
            ["CloudArchive:Storage:ServiceVersion"] = "2024-11-04",
            ["CloudArchive:Storage:MaxRetries"] = "0",
        };
        var options = StorageOptions.FromSettings(k => settings.GetValueOrDefault(k));
        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
        Assert.True(options.ImmutabilitySupported);
        Assert.Equal(1048576, options.SingleUploadThresholdBytes);
        Assert.Equal(4194304, options.BlockSizeBytes);
        Assert.Equal(2, options.MaxUploadConcurrency);
        Assert.Equal(QueueMessageEncoding.None, options.QueueMessageEncoding);
        Assert.Equal("2024-11-04", options.ServiceVersion);
        Assert.Equal(0, options.MaxRetries);
        Assert.Equal(0, options.CreateBlobClientOptions().Retry.MaxRetries);
        Assert.True(StorageConnection.FromOptions(options).ImmutabilitySupported);

        var empty = StorageOptions.FromSettings(_ => null);
        Assert.Null(empty.ConnectionString);
        Assert.Null(empty.ImmutabilitySupported);
        Assert.Equal(8 * 1024 * 1024, empty.BlockSizeBytes);
        Assert.Equal(QueueMessageEncoding.Base64, empty.QueueMessageEncoding);
        Assert.Equal(StorageOptions.DefaultServiceVersion, empty.ServiceVersion);
        Assert.Equal(3, empty.CreateQueueClientOptions().Retry.MaxRetries);
    }

    [Theory]
    [InlineData("CloudArchive:Storage:ImmutabilitySupported", "yes")]
    [InlineData("CloudArchive:Storage:BlockSizeBytes", "0")]
    [InlineData("CloudArchive:Storage:BlockSizeBytes", "-5")]
    [InlineData("CloudArchive:Storage:MaxUploadConcurrency", "1000")]
    [InlineData("CloudArchive:Storage:QueueMessageEncoding", "utf7")]
    [InlineData("CloudArchive:Storage:MaxRetries", "11")]
    [InlineData("CloudArchive:Storage:MaxRetries", "-1")]
    [InlineData("CloudArchive:Storage:ServiceUri", "not a uri")]
    public void Bad_settings_are_format_errors_naming_the_key(string key, string value)
    {
        var ex = Assert.Throws<FormatException>(() => StorageOptions.FromSettings(k => k == key ? value : null));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blob_and_queue_clients_log_only_safe_headers_and_query_parameters()
    {
        var options = new StorageOptions();
        foreach (var client in new ClientOptions[] { options.CreateBlobClientOptions(), options.CreateQueueClientOptions() })
        {
            var diagnostics = client.Diagnostics;
            Assert.Contains("x-ms-request-id", diagnostics.LoggedHeaderNames, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("Authorization", diagnostics.LoggedHeaderNames, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain(diagnostics.LoggedHeaderNames, h => h.StartsWith("x-ms-meta", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("x-ms-tags", diagnostics.LoggedHeaderNames, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("x-ms-popreceipt", diagnostics.LoggedHeaderNames, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("x-ms-copy-source", diagnostics.LoggedHeaderNames, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("sig", diagnostics.LoggedQueryParameters, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("popreceipt", diagnostics.LoggedQueryParameters, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("prefix", diagnostics.LoggedQueryParameters, StringComparer.OrdinalIgnoreCase);
            Assert.False(diagnostics.IsLoggingContentEnabled);
        }

        Assert.Equal(QueueMessageEncoding.Base64, options.CreateQueueClientOptions().MessageEncoding);
    }

    [Fact]
    public void A_client_hook_that_turns_content_logging_on_is_refused()
    {
        var options = new StorageOptions { ConfigureClient = o => o.Diagnostics.IsLoggingContentEnabled = true };

        var ex = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromConnectionString("UseDevelopmentStorage=true", options));
        Assert.Contains("content logging", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_numeric_options_are_rejected_when_connecting()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StorageConnection.FromConnectionString("UseDevelopmentStorage=true", new StorageOptions { BlockSizeBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => StorageConnection.FromConnectionString("UseDevelopmentStorage=true", new StorageOptions { MaxUploadConcurrency = 0 }));
    }
}
