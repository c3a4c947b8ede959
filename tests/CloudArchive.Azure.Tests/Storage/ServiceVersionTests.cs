using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Tests.Storage.Support;
using CloudArchive.Testing.Azurite;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage;

/// <summary>
/// The storage REST version every request carries is ours to pin (the SDK's default is newer than the pinned Azurite
/// accepts), so these check what actually goes on the wire.
/// </summary>
public sealed class ServiceVersionTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Blob_and_queue_requests_carry_the_pinned_default_version()
    {
        var requests = new RequestRecordingPolicy();
        var connection = azurite.CreateConnection(new StorageOptions { ConfigureClient = requests.AddTo });

        await ExerciseAsync(connection);

        Assert.Equal("2025-05-05", StorageOptions.DefaultServiceVersion);
        Assert.Equal(5, requests.Requests.Count);
        Assert.All(requests.Requests, r => Assert.Equal(StorageOptions.DefaultServiceVersion, r.Header("x-ms-version")));
    }

    [Fact]
    public async Task A_configured_version_is_what_every_request_carries()
    {
        var settings = new Dictionary<string, string?>
        {
            [StorageOptions.SettingKeys.ConnectionString] = azurite.ConnectionString,
            [StorageOptions.SettingKeys.ServiceVersion] = "2021-12-02",
        };
        var options = StorageOptions.FromSettings(k => settings.GetValueOrDefault(k));
        var requests = new RequestRecordingPolicy();
        options.ConfigureClient = requests.AddTo;

        await ExerciseAsync(StorageConnection.FromOptions(options));

        Assert.Equal(5, requests.Requests.Count);
        Assert.All(requests.Requests, r => Assert.Equal("2021-12-02", r.Header("x-ms-version")));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("2025-5-5")]
    [InlineData("2021-13-45")]
    [InlineData("1999-01-01")]
    [InlineData("V2025_05_05")]
    [InlineData("2025-05-05x")]
    public void A_version_the_sdk_does_not_know_is_a_format_error_naming_the_key(string version)
    {
        var fromSettings = Assert.Throws<FormatException>(() => StorageOptions.FromSettings(k => k == StorageOptions.SettingKeys.ServiceVersion ? version : null));
        Assert.Contains(StorageOptions.SettingKeys.ServiceVersion, fromSettings.Message, StringComparison.Ordinal);

        // Set in code rather than read from settings, it is refused when connecting, before any request.
        var whenConnecting = Assert.Throws<FormatException>(() => StorageConnection.FromConnectionString("UseDevelopmentStorage=true", new StorageOptions { ServiceVersion = version }));
        Assert.Contains(StorageOptions.SettingKeys.ServiceVersion, whenConnecting.Message, StringComparison.Ordinal);
    }

    /// <summary>Five requests: create container, put blob, get properties, create queue, send message.</summary>
    private static async Task ExerciseAsync(StorageConnection connection)
    {
        var container = connection.Blobs.GetBlobContainerClient(AzuriteFixture.UniqueName("version"));
        await container.CreateAsync(cancellationToken: Ct);
        await TestData.PutTextAsync(container.GetBlobClient("b"), "x");
        await container.GetBlobClient("b").GetPropertiesAsync(cancellationToken: Ct);
        var queue = connection.Queues.GetQueueClient(AzuriteFixture.UniqueName("version"));
        await queue.CreateAsync(cancellationToken: Ct);
        await queue.SendMessageAsync("m", Ct);
    }
}
