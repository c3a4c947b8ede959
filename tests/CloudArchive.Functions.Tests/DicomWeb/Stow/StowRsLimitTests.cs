using System.Net;
using System.Text.Json.Nodes;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using Xunit;
using static CloudArchive.Functions.Tests.DicomWeb.Stow.StowRequests;

namespace CloudArchive.Functions.Tests.DicomWeb.Stow;

/// <summary>
/// The request and part limits (<c>CloudArchive:DicomWeb:MaxRequestBytes</c> / <c>MaxPartBytes</c>), set small here:
/// 413 up front for an announced length, and while streaming for a chunked request or a part; what was stored before
/// the limit stays stored and is listed, and the part in flight leaves nothing in <c>incoming</c>.
/// </summary>
public sealed class StowRsLimitTests : IClassFixture<AzuriteFixture>
{
    private const long MaxPart = 20_000;
    private const long MaxRequest = 60_000;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    private readonly AzuriteFixture _azurite;

    public StowRsLimitTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<IngestApp> StartAsync() => IngestApp.StartAsync(_azurite, extraSettings: new Dictionary<string, string?>
    {
        ["CloudArchive:DicomWeb:MaxRequestBytes"] = MaxRequest.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CloudArchive:DicomWeb:MaxPartBytes"] = MaxPart.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [Fact]
    public async Task A_request_announcing_more_than_the_request_limit_answers_413_before_reading_it()
    {
        await using var app = await StartAsync();
        var parts = await SmallInstancesAsync(7);

        using var response = await SendAsync(app, parts, chunked: false);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("MaxRequestBytes", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await app.ListAsync(app.Archive, "studies/"));
        Assert.Empty(await app.ListAsync(app.Incoming));
    }

    [Fact]
    public async Task A_chunked_request_over_the_request_limit_is_stopped_while_streaming_with_the_parts_stored_before_it_listed()
    {
        await using var app = await StartAsync();
        var parts = await SmallInstancesAsync(7);

        using var response = await SendAsync(app, parts, chunked: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var referenced = Items(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!, "00081199");
        Assert.InRange(referenced.Count, 1, 6);
        Assert.Equal(referenced.Count, (await app.ListAsync(app.Archive, "studies/")).Count);
        Assert.Empty(await app.ListAsync(app.Incoming));
    }

    [Fact]
    public async Task A_part_over_the_part_limit_answers_413_and_leaves_no_upload_while_the_part_before_it_is_stored()
    {
        await using var app = await StartAsync();
        var small = (await SmallInstancesAsync(1))[0];
        var large = await SampleInstances.CopyAsync("CT_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 1, withAddress: false);
        Assert.True(large.Length > MaxPart);

        using var response = await SendAsync(app, [small, large], chunked: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Single(Items(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!, "00081199"));
        Assert.Single(await app.ListAsync(app.Archive, "studies/"));
        Assert.Empty(await app.ListAsync(app.Incoming));
        Assert.Empty(await app.ListAsync(app.Quarantine));
    }

    [Fact]
    public async Task A_part_limit_larger_than_the_request_limit_stops_the_app_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => IngestApp.StartAsync(_azurite, extraSettings: new Dictionary<string, string?>
        {
            ["CloudArchive:DicomWeb:MaxRequestBytes"] = "1000",
            ["CloudArchive:DicomWeb:MaxPartBytes"] = "2000",
        }));
        Assert.Contains("MaxPartBytes", error.Message, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(IngestApp app, byte[][] parts, bool chunked) =>
        await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(parts), Token(app, NewCaller()), chunked), Ct);

    private static async Task<byte[][]> SmallInstancesAsync(int count)
    {
        var study = SampleInstances.NewUid();
        var parts = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            parts[i] = await SampleInstances.CopyAsync("MR_small.dcm", study, SampleInstances.NewUid(), 1, withAddress: false);
        }

        return parts;
    }
}
