using CloudArchive.Functions.Hosting;
using Microsoft.AspNetCore.Hosting;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// The local host: the app without the Functions host. Kestrel serves every HTTP-triggered function at the route the
/// host would (<c>/api/...</c>) plus the host's <c>GET /admin/host/status</c>; <see cref="LocalHostService"/> runs the
/// queue and timer triggers; every invocation goes through the same middleware and function classes as under the host.
/// Functions Core Tools cannot be installed on the project's machines, so this is how the app runs in dev up and tests.
/// </summary>
public static class LocalHostApp
{
    /// <summary>True when <c>LocalHost:Enabled</c> is set (environment <c>LocalHost__Enabled</c> or <c>--LocalHost:Enabled=true</c>).</summary>
    public static bool IsRequested(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        return configuration.GetValue<bool>(LocalHostOptions.Section + ":" + nameof(LocalHostOptions.Enabled));
    }

    /// <summary>Builds the local host.</summary>
    /// <param name="args">Command-line arguments (ASP.NET Core's, plus configuration keys).</param>
    /// <param name="configure">Adds configuration and services before the archive is composed (tests register replacements).</param>
    /// <param name="functionTypes">The function classes to run; default every one of this app's.</param>
    /// <exception cref="Azure.Composition.ArchiveConfigurationException">A setting is invalid.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, IReadOnlyList<Type>? functionTypes = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        Hosting.TimerScheduleDefaults.AddTo(builder.Configuration);
        configure?.Invoke(builder);
        var options = new LocalHostOptions();
        builder.Configuration.GetSection(LocalHostOptions.Section).Bind(options);
        options.Validate();
        if (!string.IsNullOrWhiteSpace(options.Urls))
        {
            builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        builder.Services.AddSingleton(options);
        var settings = builder.Services.AddCloudArchiveFunctions(builder.Configuration, builder.Environment.ContentRootPath);
        if (settings.Auth.UsesDevelopmentIssuer)
        {
            builder.Services.AddHostedService<LoopbackListenCheck>();
        }

        builder.Services.AddSingleton(functionTypes is null ? LocalFunctionCatalog.ForAssembly(typeof(LocalHostApp).Assembly) : new LocalFunctionCatalog(functionTypes));
        builder.Services.AddSingleton<LocalFunctionInvoker>();
        builder.Services.AddHostedService<ParentProcessWatchdog>();
        if (options.RunTriggers)
        {
            builder.Services.AddHostedService<LocalHostService>();
        }

        var app = builder.Build();
        app.MapGet("/admin/host/status", () => Results.Json(new { state = "Running", host = "CloudArchive local host" }));
        if (settings.Auth.UsesDevelopmentIssuer)
        {
            DevelopmentIssuerEndpoints.Map(app, settings.Auth.TenantId);
        }

        var invoker = app.Services.GetRequiredService<LocalFunctionInvoker>();
        foreach (var function in invoker.Catalog.Functions.Where(f => f.Trigger == LocalTriggerKind.Http))
        {
            // The host's route template syntax is ASP.NET Core's; {*path} is a catch-all in both.
            app.MapMethods("/api/" + function.Target.TrimStart('/'), function.HttpMethods, (HttpContext http) => invoker.InvokeHttpAsync(function, http));
        }

        return app;
    }
}
