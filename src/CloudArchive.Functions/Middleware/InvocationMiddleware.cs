using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CloudArchive.Functions.Middleware;

/// <summary>
/// What every function needs around its body, in one place, for the worker and the local host alike: the correlation id
/// (<see cref="CorrelationIds"/>), a log scope naming the function and that id and nothing else (no patient data can
/// reach a scope), and error mapping. A queue invocation that fails is logged and rethrown, so the host makes the message
/// visible again and, after <c>maxDequeueCount</c> deliveries, moves it to the poison queue. An HTTP invocation that
/// fails answers 500 with the correlation id and no detail, since an exception message is not for the caller.
/// </summary>
public sealed class InvocationMiddleware : IFunctionsWorkerMiddleware
{
    private readonly ILogger<InvocationMiddleware> _logger;

    /// <summary>Creates the middleware.</summary>
    public InvocationMiddleware(ILogger<InvocationMiddleware> logger) => _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <inheritdoc />
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var function = context.FunctionDefinition.Name;
        var correlationId = context.CorrelationId();
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["Function"] = function, ["CorrelationId"] = correlationId });
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (InvalidMessageException ex)
        {
            // Permanent: retrying cannot change the message. It still fails, so it ends in the poison queue for a person.
            _logger.LogWarning("{Function} {CorrelationId}: message rejected (permanent; it goes to the poison queue after the host's retries): {Reason}", function, correlationId, ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            // The archive's own exception messages carry no patient data (CONTRIBUTING); type and message say which
            // dependency failed.
            _logger.LogError(ex, "{Function} {CorrelationId}: failed with {ErrorType}: {Error}", function, correlationId, ex.GetType().Name, ex.Message);
            if (context.GetHttpContext() is not { } http)
            {
                throw;
            }

            await WriteServerErrorAsync(http, correlationId).ConfigureAwait(false);
        }
    }

    private static async Task WriteServerErrorAsync(HttpContext http, string correlationId)
    {
        if (http.Response.HasStarted)
        {
            // Part of a body is on the wire: a status can no longer be sent, and a clean end would pass a truncated
            // download off as whole. Abort so the client sees the failure.
            http.Abort();
            return;
        }

        http.Response.Clear();
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        http.Response.Headers["x-correlation-id"] = correlationId;
        await http.Response.WriteAsJsonAsync(
            new { error = "internal-error", message = string.Create(CultureInfo.InvariantCulture, $"The request failed; quote correlation id {correlationId}.") },
            http.RequestAborted).ConfigureAwait(false);
    }
}
