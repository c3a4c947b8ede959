using CloudArchive.Functions.Middleware;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Hosting;

/// <summary>
/// The body of every HTTP trigger on the ASP.NET Core integration: the request and response are the real ASP.NET Core
/// objects, so the handler streams both ways without buffering and the function returns nothing more.
/// </summary>
public static class HandledHttpTrigger
{
    /// <summary>Hands the request to <paramref name="handler"/> with the invocation's correlation id.</summary>
    /// <param name="handler">Writes the response.</param>
    /// <param name="request">The trigger's request.</param>
    /// <param name="context">The invocation.</param>
    public static async Task<IActionResult> RunAsync(IHttpRequestHandler handler, HttpRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await handler.HandleAsync(request.HttpContext, context.CorrelationId()).ConfigureAwait(false);

        // The handler has written the response (status, headers and a streamed body); nothing is left to execute.
        return new EmptyResult();
    }
}
