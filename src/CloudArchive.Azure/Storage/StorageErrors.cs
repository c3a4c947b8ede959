using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Azure;

namespace CloudArchive.Azure.Storage;

/// <summary>
/// Turns the SDK's <see cref="RequestFailedException"/> into a <see cref="StorageRequestException"/>. The SDK's own
/// message carries the response body and <c>AuthenticationErrorDetail</c>, which echoes the request's signature and the
/// server's string-to-sign, so none of it is kept: neither its message nor the exception itself (as an inner exception
/// it would reach every log that prints the chain).
/// </summary>
public static partial class StorageErrors
{
    /// <summary>The typed, secret-free equivalent of <paramref name="failure"/>.</summary>
    /// <param name="failure">What the SDK threw.</param>
    /// <param name="operation">The operation that failed, e.g. <c>PutBlob</c>.</param>
    public static StorageRequestException From(RequestFailedException failure, string operation)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var response = failure.GetRawResponse();
        string? requestId = null;
        string? reason = null;
        if (response is not null)
        {
            response.Headers.TryGetValue("x-ms-request-id", out requestId);
            reason = response.ReasonPhrase;
        }

        // Status 0: no response at all (connection refused, DNS, timeout).
        var message = failure.Status == 0 ? NoResponse(failure) : Sanitize(reason);
        return new StorageRequestException(operation, failure.Status, failure.ErrorCode, requestId, message);
    }

    /// <summary>
    /// The SDK failure in <paramref name="exception"/>, if it is one. A request that failed on every try is not thrown
    /// as a <see cref="RequestFailedException"/>: Azure.Core's retry policy (and the SDK's resuming download stream)
    /// throws an <see cref="AggregateException"/> of each try's failure, e.g. three "connection refused" with status 0.
    /// Its last <see cref="RequestFailedException"/> stands for it, so unreachable storage is typed like any refusal and
    /// the aggregate (whose messages name the endpoint and echo the SDK's texts) reaches no log.
    /// </summary>
    public static bool TryGetFailure(Exception exception, [NotNullWhen(true)] out RequestFailedException? failure)
    {
        failure = exception switch
        {
            RequestFailedException single => single,
            AggregateException tries when tries.InnerExceptions.All(e => e is RequestFailedException or IOException) =>
                tries.InnerExceptions.OfType<RequestFailedException>().LastOrDefault(),
            _ => null,
        };
        return failure is not null;
    }

    /// <summary>"No response" with the transport's error kind (an enum name: no host, path or secret).</summary>
    private static string NoResponse(Exception failure)
    {
        for (var e = failure.InnerException; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException http)
            {
                return $"No response from the storage service ({http.HttpRequestError}).";
            }
        }

        return "No response from the storage service.";
    }

    /// <summary>Keeps the first line of the service's message, minus anything shaped like a signature or token.</summary>
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

    [GeneratedRegex(@"((?:sig|signature|SharedKey [^:\s]+:|Bearer )=?)[A-Za-z0-9%+/=._-]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex SignatureLike();
}
