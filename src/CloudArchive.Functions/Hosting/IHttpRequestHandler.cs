namespace CloudArchive.Functions.Hosting;

/// <summary>The handler behind an HTTP trigger that writes the whole response itself (status, headers, streamed body).</summary>
public interface IHttpRequestHandler
{
    /// <summary>Answers one request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="correlationId">The invocation's correlation id (never a client header).</param>
    Task HandleAsync(HttpContext context, string correlationId);
}
