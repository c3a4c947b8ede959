using System.Text.Json;
using CloudArchive.Functions.Functions.Research;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>The ResearchApi trigger and the host setting it relies on, as shipped next to the executable.</summary>
public sealed class ResearchApiHostFilesTests
{
    private static JsonElement Load(params string[] path) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine([AppContext.BaseDirectory, .. path]))).RootElement.Clone();

    [Fact]
    public void ResearchApi_is_an_anonymous_GET_http_trigger_on_research_catch_all_with_an_http_output()
    {
        var bindings = Load(ResearchApiFunction.Name, "function.json").GetProperty("bindings").EnumerateArray().ToList();

        var trigger = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal("in", trigger.GetProperty("direction").GetString());
        Assert.Equal("anonymous", trigger.GetProperty("authLevel").GetString()); // App Service Authentication authenticates
        Assert.Equal(["get"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("research/{*path}", trigger.GetProperty("route").GetString());
        var output = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "http");
        Assert.Equal("out", output.GetProperty("direction").GetString());
    }

    [Fact]
    public void Host_proxies_http_requests_so_instances_and_zips_stream()
    {
        var customHandler = Load("host.json").GetProperty("customHandler");

        Assert.True(customHandler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.False(customHandler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        // The route prefix stays the default "api", which ResearchRoute.BasePath assumes.
        Assert.False(Load("host.json").TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("http", out var http) && http.TryGetProperty("routePrefix", out _));
        Assert.StartsWith("/api/", ResearchRoute.BasePath, StringComparison.Ordinal);
    }
}
