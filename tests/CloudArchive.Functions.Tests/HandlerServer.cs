using CloudArchive.Core.Ingest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests;

/// <summary>The custom-handler app on a real loopback socket, as the Functions host talks to it.</summary>
internal sealed class HandlerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HandlerServer(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<HandlerServer> StartAsync(IIngestHandler? handler, string[]? extraArgs = null)
    {
        string[] args = extraArgs ?? ["--urls", "http://127.0.0.1:0"];
        var app = FunctionsApp.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            if (handler is not null)
            {
                builder.Services.AddSingleton(handler);
            }
        });
        await app.StartAsync(Xunit.TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        return new HandlerServer(app, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
