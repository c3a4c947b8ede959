using CloudArchive.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Research;

/// <summary>
/// The researcher API: <c>GET /api/research/{*path}</c>, an HTTP trigger on the ASP.NET Core integration, so the request
/// and response are the real ASP.NET Core objects and downloads stream without buffering. The trigger is anonymous at
/// the Functions level because the app authenticates every request itself: <see cref="ResearchApiHandler"/> validates
/// the Entra ID access token (docs/security.md), Core's research access policy decides who may read what, and the
/// handler writes the response.
/// </summary>
public sealed class ResearchApi
{
    /// <summary>The function name.</summary>
    public const string Name = "ResearchApi";

    /// <summary>The route under the host's <c>api</c> prefix.</summary>
    public const string Route = "research/{*path}";

    private readonly ResearchApiHandler _handler;

    /// <summary>Creates the function.</summary>
    public ResearchApi(ResearchApiHandler handler) => _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <summary>Answers one request.</summary>
    [Function(Name)]
    public Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request, FunctionContext context) =>
        HandledHttpTrigger.RunAsync(_handler, request, context);
}
