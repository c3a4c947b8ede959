using System.Text.Json;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>Response helpers of the clinical root: fixed-code JSON errors and the headers every answer carries.</summary>
internal static class ClinicalResponses
{
    /// <summary>Marks an answer as never to be cached or sniffed (it carries patient data).</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    /// <summary>Writes <c>{"error":code,"message":message}</c> with <paramref name="status"/>; never echoes input.</summary>
    public static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        NoStore(response);
        var writer = new Utf8JsonWriter(response.Body);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("error", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }
}
