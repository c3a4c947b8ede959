using System.Reflection;
using System.Text.Json;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Research;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>
/// The ResearchApi trigger as declared by its attributes (what the Worker SDK generates functions.metadata from and the
/// local host maps), and the route prefix the handler relies on. The route as served is checked by
/// <see cref="ResearchApiRoutingTests"/>.
/// </summary>
public sealed class ResearchApiFunctionMetadataTests
{
    private static LocalFunction ResearchApiFunction => LocalFunctionCatalog.ForAssembly(typeof(LocalHostApp).Assembly).Get(ResearchApi.Name);

    [Fact]
    public void ResearchApi_is_an_anonymous_GET_http_trigger_on_research_catch_all()
    {
        var method = typeof(ResearchApi).GetMethod(nameof(ResearchApi.RunAsync))!;

        Assert.Equal("ResearchApi", method.GetCustomAttribute<FunctionAttribute>()!.Name);
        var request = Assert.Single(method.GetParameters(), p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null);
        var trigger = request.GetCustomAttribute<HttpTriggerAttribute>()!;
        Assert.Equal(typeof(HttpRequest), request.ParameterType); // the ASP.NET Core integration: the real request, streamed
        Assert.Equal(AuthorizationLevel.Anonymous, trigger.AuthLevel); // App Service Authentication authenticates
        Assert.NotNull(trigger.Methods);
        Assert.Equal(["get"], trigger.Methods);
        Assert.Equal("research/{*path}", trigger.Route);
    }

    [Fact]
    public void The_local_host_maps_the_trigger_route_for_GET_only()
    {
        var function = ResearchApiFunction;

        Assert.Equal(LocalTriggerKind.Http, function.Trigger);
        Assert.Equal(ResearchApi.Route, function.Target);
        Assert.Equal(["GET"], function.HttpMethods);
    }

    [Fact]
    public void The_host_route_prefix_stays_api_so_the_handlers_base_path_is_the_trigger_route()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json"))).RootElement;

        Assert.False(host.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("http", out var http) && http.TryGetProperty("routePrefix", out _));
        Assert.Equal(ResearchRoute.BasePath, "/api/" + ResearchApi.Route[..ResearchApi.Route.IndexOf('/', StringComparison.Ordinal)]);
    }
}
