using System.Net;
using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Functions.Research;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>
/// The researcher API as the local host serves it: the route comes from the trigger attribute, only GET is answered,
/// and a failure outside the handler's own error handling is the invocation middleware's 500.
/// </summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchApiRoutingTests(ResearchApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_trigger_route_is_served_under_api_for_GET_and_other_methods_are_405()
    {
        var endpoints = ((IEndpointRouteBuilder)fixture.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        var research = Assert.Single(endpoints, e => e.RoutePattern.RawText!.StartsWith("/api/research", StringComparison.Ordinal));
        Assert.Equal("/api/" + ResearchApi.Route, research.RoutePattern.RawText);
        Assert.Equal(["GET"], research.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods);

        var me = Guid.NewGuid().ToString("D");
        using (var get = await fixture.Client.SendAsync(ResearchApiFixture.AsRecipient("/api/research/agreements", me), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            using var request = ResearchApiFixture.AsRecipient("/api/research/agreements", me);
            request.Method = method;
            request.Content = method == HttpMethod.Delete ? null : new StringContent("{}");
            using var response = await fixture.Client.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method}: {(int)response.StatusCode}");
        }

        // Only the GET reached the handler.
        Assert.Equal(["list-agreements"], (await fixture.AuditOfAsync(me)).Select(r => r.Event.Details[0]));
    }

    [Fact]
    public async Task A_handler_that_cannot_be_composed_answers_500_json_with_a_fresh_correlation_id_and_no_detail()
    {
        // The audit writer cannot be built, so activating the function fails before the handler runs: only the
        // invocation middleware stands between the exception and the client.
        var app = await fixture.StartAppAsync(6000, 1000, services =>
            services.AddSingleton<AuditLogWriter>(_ => throw new InvalidOperationException("audit writer misconfigured: PLANTED-SECRET")));
        await using var started = app;
        using var client = ResearchApiFixture.CreateClient(app);
        using var request = ResearchApiFixture.AsRecipient($"/api/research/agreements/{ResearchApiFixture.Agreement}/studies", Guid.NewGuid().ToString("D"));
        request.Headers.Add("x-correlation-id", "client-chosen-id");
        request.Headers.Add("X-Azure-Functions-InvocationId", "5f3f8c1e-7a41-4d4b-8c1e-0d4a4e4b9a51");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var correlationId = Assert.Single(response.Headers.GetValues("x-correlation-id"));
        Assert.True(Guid.TryParseExact(correlationId, "D", out _), correlationId);
        Assert.NotEqual("5f3f8c1e-7a41-4d4b-8c1e-0d4a4e4b9a51", correlationId);
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("internal-error", json.RootElement.GetProperty("error").GetString());
        Assert.Contains(correlationId, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("PLANTED", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("client-chosen-id", body, StringComparison.Ordinal);
    }
}
