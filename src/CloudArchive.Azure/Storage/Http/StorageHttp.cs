using System.Globalization;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Storage.Http;

/// <summary>Request building and sending shared by the Blob and Queue clients.</summary>
internal static class StorageHttp
{
    public static HttpMessage CreateMessage(HttpPipeline pipeline, RequestMethod method, Uri resourceUri, params (string Name, string? Value)[] query)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(resourceUri);
        foreach (var (name, value) in query)
        {
            if (value is not null)
            {
                message.Request.Uri.AppendQuery(name, value, escapeValue: true);
            }
        }

        return message;
    }

    /// <summary>Sends and throws <see cref="StorageRequestException"/> unless the status is one of <paramref name="expected"/>.</summary>
    public static async ValueTask<Response> SendAsync(HttpPipeline pipeline, HttpMessage message, string operation, bool async, CancellationToken cancellationToken, params int[] expected)
    {
        if (async)
        {
            await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            pipeline.Send(message, cancellationToken);
        }

        var response = message.Response;
        if (Array.IndexOf(expected, response.Status) < 0)
        {
            throw StorageErrors.FromResponse(operation, response);
        }

        return response;
    }

    /// <summary>Escapes each <c>/</c>-separated segment of a blob name, keeping the separators.</summary>
    public static string EscapePath(string name)
    {
        var segments = name.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = Uri.EscapeDataString(segments[i]);
        }

        return string.Join('/', segments);
    }

    public static Uri Child(Uri parent, string escapedRelativePath) => new(parent.AbsoluteUri.TrimEnd('/') + "/" + escapedRelativePath);

    public static string? Header(Response response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;

    public static ETag? ETagHeader(Response response) => Header(response, "ETag") is { } e ? new ETag(e) : null;

    public static DateTimeOffset? DateHeader(Response response, string name) =>
        Header(response, name) is { } v && DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    public static long? LongHeader(Response response, string name) =>
        Header(response, name) is { } v && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static string Rfc1123(DateTimeOffset value) => value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    public static IReadOnlyDictionary<string, string> MetadataHeaders(Response response)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name["x-ms-meta-".Length..]] = header.Value;
            }
        }

        return metadata;
    }

    public static RequestContent Utf8Content(string text) => RequestContent.Create(Encoding.UTF8.GetBytes(text));
}
