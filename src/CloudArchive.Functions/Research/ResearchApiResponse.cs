using System.Globalization;
using System.Text.Json;

namespace CloudArchive.Functions.Research;

/// <summary>How the researcher API writes its JSON and error responses: fixed codes, never echoing input, never cached.</summary>
internal static class ResearchApiResponse
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Answers 429 with a Retry-After of whole seconds (at least one).</summary>
    public static async Task TooManyAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await ErrorAsync(context, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests; retry after the number of seconds in Retry-After.").ConfigureAwait(false);
    }

    /// <summary>Answers 503: the access could not be audited, so nothing is released.</summary>
    public static Task AuditUnavailableAsync(HttpContext context) =>
        ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "audit-unavailable", "The access could not be recorded, so nothing is released; try again later.");

    /// <summary>Whether the request accepts <c>application/zip</c>.</summary>
    public static bool AcceptsZip(HttpRequest request) =>
        request.Headers.Accept.Any(v => v is not null && v.Contains("application/zip", StringComparison.OrdinalIgnoreCase));

    /// <summary>Marks a response as not to be cached nor content-sniffed.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    /// <summary>Answers <paramref name="status"/> with <c>{"error": code, "message": message}</c>.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, new { error = code, message });

    /// <summary>Answers <paramref name="status"/> with <paramref name="body"/> as JSON.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int status, object body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        NoStore(response);
        await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), Json, context.RequestAborted).ConfigureAwait(false);
    }
}
