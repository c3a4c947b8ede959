namespace CloudArchive.Functions.Functions.Research;

/// <summary>
/// The <c>ResearchApi</c> HTTP trigger (<c>ResearchApi/function.json</c>: anonymous, GET, route
/// <c>research/{*path}</c>). With <c>enableProxyingHttpRequest</c> in host.json the Functions host proxies the
/// request unchanged to the same path on the handler (<c>/api/research/...</c>) and streams the response back, so
/// this is an ordinary endpoint rather than a <c>POST /{FunctionName}</c> invocation. Authentication is App Service
/// Authentication's job (it injects <c>X-MS-CLIENT-PRINCIPAL</c>); authorization is <see cref="ResearchApiHandler"/>'s.
/// </summary>
public static class ResearchApiFunction
{
    /// <summary>The function name; the folder holding function.json has the same name.</summary>
    public const string Name = "ResearchApi";

    /// <summary>Maps the endpoint.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(ResearchRoute.BasePath + "/{**path}", HandleAsync);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        // The stores come from the research registration; without them the API answers 503 instead of failing to resolve.
        var services = context.RequestServices;
        var configured = services.GetService<Core.Research.Agreements.IAgreementStore>() is not null
            && services.GetService<Core.Research.Publication.IResearchStore>() is not null
            && services.GetService<Core.Audit.AuditLogWriter>() is not null;
        var handler = configured ? services.GetService<ResearchApiHandler>() : null;
        if (handler is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new { error = "not-configured", message = "The researcher API is not configured on this app." }, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await handler.HandleAsync(context).ConfigureAwait(false);
    }
}
