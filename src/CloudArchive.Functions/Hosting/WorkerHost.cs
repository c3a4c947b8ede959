using CloudArchive.Azure.Composition;
using CloudArchive.Functions.Middleware;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;

namespace CloudArchive.Functions.Hosting;

/// <summary>
/// The isolated worker as the Functions host runs it: ASP.NET Core integration for the HTTP trigger, Application
/// Insights through the worker's integration (it sends only when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set),
/// <see cref="InvocationMiddleware"/> around every function, and the archive's services.
/// </summary>
public static class WorkerHost
{
    /// <summary>Builds the worker host; the Functions host passes its gRPC endpoint in <paramref name="args"/>.</summary>
    public static IHost Build(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        TimerScheduleDefaults.AddTo(builder.Configuration);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<InvocationMiddleware>();
        builder.Services.AddApplicationInsightsTelemetryWorkerService();
        builder.Services.ConfigureFunctionsApplicationInsights();
        RefuseDevelopmentIssuer(builder.Configuration);
        builder.Services.AddCloudArchiveFunctions(builder.Configuration, AppContext.BaseDirectory);
        return builder.Build();
    }

    /// <summary>
    /// Under the Functions host nothing guarantees loopback-only reach: the development issuer is the local host's
    /// alone. Checked before the archive is composed, which would otherwise create the issuer's key file.
    /// </summary>
    internal static void RefuseDevelopmentIssuer(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[AuthSettings.DevelopmentIssuerKeyDirectoryKey]))
        {
            throw new ArchiveConfigurationException("authentication", [$"{AuthSettings.DevelopmentIssuerKeyDirectoryKey} is set, but the development token issuer is trusted only by the local host (LocalHost:Enabled); configure Entra ID instead."]);
        }
    }
}
