using System.Globalization;
using CloudArchive.Functions.Functions;

namespace CloudArchive.Functions;

/// <summary>
/// Builds the custom-handler web app: the endpoints the Functions host calls (<c>GET /</c> readiness,
/// <c>POST /{FunctionName}</c> invocations) on the loopback port the host assigns in
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>. Business services are registered by the caller of
/// <see cref="Build"/> (Program.cs, tests).
/// </summary>
public static class FunctionsApp
{
    /// <summary>The environment variable holding the port the host expects the handler on.</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Builds the app.</summary>
    /// <param name="args">Command-line arguments (standard ASP.NET Core ones such as <c>--urls</c> apply when no host port is set).</param>
    /// <param name="configure">Registers services (e.g. the <c>IIngestHandler</c>) and configuration before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var port = builder.Configuration[PortVariable];
        if (!string.IsNullOrEmpty(port))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
            {
                throw new InvalidOperationException($"{PortVariable} must be a TCP port number.");
            }

            // Loopback only: the host is the only caller, and nothing else on the network may invoke functions.
            builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{portNumber}"));
        }

        builder.Services.AddOptions<FunctionsOptions>().Bind(builder.Configuration.GetSection(FunctionsOptions.Section));
        configure?.Invoke(builder);
        LocalTriggers.LocalTriggerRegistration.AddLocalTriggers(builder);

        var app = builder.Build();
        app.MapGet("/", () => Results.Json(new { status = "ready" }));
        app.MapPost("/" + IngestInstanceFunction.Name, IngestInstanceFunction.HandleAsync);
        app.MapPost("/" + ExportResearchCopiesFunction.Name, ExportResearchCopiesFunction.HandleAsync);
        Functions.Research.ResearchApiFunction.Map(app);
        return app;
    }
}
