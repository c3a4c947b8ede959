using CloudArchive.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.DicomWeb.Stow;

/// <summary>
/// STOW-RS: <c>POST /api/dicomweb/studies</c> and <c>POST /api/dicomweb/studies/{study}</c>, an HTTP trigger on the
/// ASP.NET Core integration so the request body streams part by part. Anonymous at the Functions level: the app
/// validates the access token itself and Core decides who may store (<see cref="StowRsHandler"/>).
/// </summary>
public sealed class StowRs
{
    /// <summary>The function name.</summary>
    public const string Name = "StowRs";

    /// <summary>The route under the host's <c>api</c> prefix.</summary>
    public const string Route = "dicomweb/studies/{study?}";

    private readonly StowRsHandler _handler;

    /// <summary>Creates the function.</summary>
    public StowRs(StowRsHandler handler) => _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <summary>Answers one request.</summary>
    [Function(Name)]
    public Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route)] HttpRequest request, FunctionContext context) =>
        HandledHttpTrigger.RunAsync(_handler, request, context);
}
