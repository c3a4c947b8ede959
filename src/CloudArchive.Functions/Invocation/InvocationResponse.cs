using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudArchive.Functions.Invocation;

/// <summary>
/// The body the Functions host expects back: <c>{"Outputs": {binding: value}, "Logs": ["..."],
/// "ReturnValue": value}</c>. Logs are written by the host to the invocation's log (Information). The HTTP
/// status decides success: any non-2xx fails the invocation, so the host retries the message and finally
/// poison-queues it.
/// </summary>
public sealed class InvocationResponse
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Output binding values by binding name (none for IngestInstance).</summary>
    public Dictionary<string, object?> Outputs { get; init; } = [];

    /// <summary>Log lines for the invocation log. Never patient data, keys or secrets.</summary>
    public List<string> Logs { get; init; } = [];

    /// <summary>The <c>$return</c> binding value, if the function has one.</summary>
    public object? ReturnValue { get; set; }

    /// <summary>Writes the response with the given status code.</summary>
    public Task WriteAsync(HttpResponse response, int statusCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(response.Body, this, Options, cancellationToken);
    }
}
