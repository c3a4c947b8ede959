using System.Globalization;
using System.Text;
using Azure;
using CloudArchive.Azure.Storage.Http;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// Reads a Blob Batch response (<c>multipart/mixed</c>, one <c>application/http</c> part per sub-request,
/// matched by <c>Content-ID</c>) into one <see cref="BlobBatchDeleteResult"/> per sub-request. Anything it cannot
/// account for is a <see cref="StorageRequestException"/>, never a partial or guessed answer.
/// </summary>
internal static class BlobBatchResponseParser
{
    /// <summary>The operation name on exceptions about the batch as a whole.</summary>
    public const string Operation = "BlobBatch";

    /// <summary>A response body larger than this is not a batch of at most 256 deletes.</summary>
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    public static BlobBatchDeleteResult[] Parse(Response response, int count)
    {
        var requestId = StorageHttp.Header(response, "x-ms-request-id");
        var contentType = StorageHttp.Header(response, "Content-Type");
        var stream = response.ContentStream;
        if (stream is null)
        {
            throw Malformed(response.Status, requestId, "it has no body");
        }

        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (copy.Length + read > MaxBodyBytes)
            {
                throw Malformed(response.Status, requestId, "its body is too large");
            }

            copy.Write(buffer, 0, read);
        }

        return Parse(contentType, Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length), count, response.Status, requestId);
    }

    /// <summary>Parses <paramref name="body"/> of a response with <paramref name="contentType"/> answering <paramref name="count"/> sub-requests.</summary>
    internal static BlobBatchDeleteResult[] Parse(string? contentType, string body, int count, int status, string? requestId)
    {
        var boundary = Boundary(contentType) ?? throw Malformed(status, requestId, "its Content-Type is not multipart/mixed with a boundary");
        var parts = SplitParts(body, boundary) ?? throw Malformed(status, requestId, "its multipart framing is broken");
        var subResponses = new List<SubResponse>(parts.Count);
        foreach (var part in parts)
        {
            subResponses.Add(ParsePart(part) ?? throw Malformed(status, requestId, "a part is not an HTTP response"));
        }

        // The service (and Azurite) answer a batch it refuses as a whole with one part that has no Content-ID.
        if (subResponses.Count == 1 && subResponses[0].ContentId is null && subResponses[0].Status is < 200 or >= 300 && count != 1)
        {
            var failed = subResponses[0];
            throw new StorageRequestException(Operation, failed.Status, failed.ErrorCode, failed.RequestId ?? requestId, StorageErrors.Sanitize(failed.Reason));
        }

        var results = new BlobBatchDeleteResult?[count];
        var byOrder = subResponses.TrueForAll(s => s.ContentId is null);
        if (byOrder && subResponses.Count != count)
        {
            throw Malformed(status, requestId, $"it has {subResponses.Count} parts for {count} sub-requests");
        }

        for (var i = 0; i < subResponses.Count; i++)
        {
            var sub = subResponses[i];
            var index = byOrder ? i : sub.ContentId ?? throw Malformed(status, requestId, "a part has no Content-ID");
            if (index < 0 || index >= count)
            {
                throw Malformed(status, requestId, "a part has a Content-ID that was not sent");
            }

            if (results[index] is not null)
            {
                throw Malformed(status, requestId, "two parts have the same Content-ID");
            }

            results[index] = BlobBatchDeleteResult.FromStatus(sub.Status, sub.ErrorCode, sub.RequestId, StorageErrors.Sanitize(sub.Reason));
        }

        var answered = new BlobBatchDeleteResult[count];
        for (var i = 0; i < count; i++)
        {
            answered[i] = results[i] ?? throw Malformed(status, requestId, "a sub-request has no answer");
        }

        return answered;
    }

    private static StorageRequestException Malformed(int status, string? requestId, string why) =>
        new(Operation, status, null, requestId, "The batch response could not be read: " + why + ".");

    private static string? Boundary(string? contentType)
    {
        if (contentType is null || !contentType.TrimStart().StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var parameter in contentType.Split(';').Skip(1))
        {
            var eq = parameter.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && parameter[..eq].Trim().Equals("boundary", StringComparison.OrdinalIgnoreCase))
            {
                var value = parameter[(eq + 1)..].Trim().Trim('"');
                return value.Length is > 0 and <= 200 ? value : null;
            }
        }

        return null;
    }

    /// <summary>The parts between the delimiter lines, or null when the first delimiter or the closing one is missing.</summary>
    private static List<string>? SplitParts(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var position = FindDelimiter(body, delimiter, 0);
        if (position < 0)
        {
            return null;
        }

        var parts = new List<string>();
        while (true)
        {
            var afterDelimiter = position + delimiter.Length;
            if (string.CompareOrdinal(body, afterDelimiter, "--", 0, 2) == 0)
            {
                return parts;
            }

            var lineEnd = body.IndexOf('\n', afterDelimiter);
            if (lineEnd < 0 || !string.IsNullOrWhiteSpace(body[afterDelimiter..lineEnd]))
            {
                return null;
            }

            var start = lineEnd + 1;
            var next = FindDelimiter(body, delimiter, start);
            if (next < 0)
            {
                return null;
            }

            // The line break before a delimiter belongs to the delimiter (RFC 2046).
            var end = next;
            if (end > start && body[end - 1] == '\n')
            {
                end--;
            }

            if (end > start && body[end - 1] == '\r')
            {
                end--;
            }

            parts.Add(body[start..end]);
            position = next;
        }
    }

    private static int FindDelimiter(string body, string delimiter, int from)
    {
        while (from <= body.Length)
        {
            var index = body.IndexOf(delimiter, from, StringComparison.Ordinal);
            if (index < 0 || index == 0 || body[index - 1] == '\n')
            {
                return index;
            }

            from = index + 1;
        }

        return -1;
    }

    private static SubResponse? ParsePart(string part)
    {
        var lines = part.Split('\n');
        var i = 0;
        int? contentId = null;
        for (; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                break;
            }

            if (!TrySplitHeader(line, out var name, out var value))
            {
                return null;
            }

            if (name.Equals("Content-ID", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    return null;
                }

                contentId = id;
            }
        }

        i++;
        if (i >= lines.Length)
        {
            return null;
        }

        // HTTP/1.1 202 Accepted
        var statusLine = lines[i].TrimEnd('\r').Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 100 or > 599)
        {
            return null;
        }

        string? errorCode = null;
        string? subRequestId = null;
        for (i++; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                break; // the rest is the sub-response body (an XML error); its code is in x-ms-error-code too
            }

            if (!TrySplitHeader(line, out var name, out var value))
            {
                return null;
            }

            if (name.Equals("x-ms-error-code", StringComparison.OrdinalIgnoreCase))
            {
                errorCode = value;
            }
            else if (name.Equals("x-ms-request-id", StringComparison.OrdinalIgnoreCase))
            {
                subRequestId = value;
            }
        }

        return new SubResponse(contentId, status, statusLine.Length > 2 ? statusLine[2] : null, errorCode, subRequestId);
    }

    private static bool TrySplitHeader(string line, out string name, out string value)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            name = value = string.Empty;
            return false;
        }

        name = line[..colon].Trim();
        value = line[(colon + 1)..].Trim();
        return name.Length > 0;
    }

    private sealed record SubResponse(int? ContentId, int Status, string? Reason, string? ErrorCode, string? RequestId);
}
