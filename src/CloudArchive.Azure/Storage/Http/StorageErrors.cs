using System.Text.RegularExpressions;
using System.Xml;
using Azure;

namespace CloudArchive.Azure.Storage.Http;

/// <summary>Turns a failed response into a <see cref="StorageRequestException"/> without leaking secrets.</summary>
internal static partial class StorageErrors
{
    /// <summary>Bodies larger than this are not read for an error message.</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    public static StorageRequestException FromResponse(string operation, Response response)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        response.Headers.TryGetValue("x-ms-request-id", out var requestId);
        string? message = null;
        try
        {
            var (bodyCode, bodyMessage) = ReadBody(response);
            code ??= bodyCode;
            message = bodyMessage;
        }
        catch (Exception ex) when (ex is XmlException or IOException or InvalidOperationException or NotSupportedException)
        {
            // A malformed or unreadable error body must not hide the status and code we already have.
        }

        return new StorageRequestException(operation, response.Status, code, requestId, Sanitize(message));
    }

    /// <summary>Keeps the first line of the service message (its tail repeats request id and time) minus anything secret-shaped.</summary>
    internal static string? Sanitize(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        var firstLine = message.Split('\n', 2)[0].Trim();
        firstLine = SignatureLike().Replace(firstLine, "$1REDACTED");
        return firstLine.Length > 300 ? firstLine[..300] + "..." : firstLine;
    }

    private static (string? Code, string? Message) ReadBody(Response response)
    {
        var stream = response.ContentStream;
        if (stream is null)
        {
            return (null, null);
        }

        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        if (total == 0)
        {
            return (null, null);
        }

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(buffer, 0, total), settings);
        string? code = null;
        string? text = null;
        reader.Read();
        while (!reader.EOF)
        {
            // AuthenticationErrorDetail echoes the server's StringToSign and is deliberately never read.
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1 && reader.LocalName is "Code" or "Message")
            {
                var isCode = reader.LocalName == "Code";
                var value = reader.ReadElementContentAsString();
                if (isCode)
                {
                    code = value;
                }
                else
                {
                    text = value;
                }

                continue;
            }

            reader.Read();
        }

        return (code, text);
    }

    [GeneratedRegex(@"((?:sig|signature|SharedKey [^:\s]+:|Bearer )=?)[A-Za-z0-9%+/=._-]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex SignatureLike();
}
