using System.Security.Cryptography;
using System.Text;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// Writes a <c>multipart/related</c> body (RFC 2387) part by part straight to the response: a random boundary, each
/// part's headers, its content written by the caller, and the closing delimiter. Nothing is buffered beyond a header.
/// </summary>
internal sealed class ClinicalMultipart(Stream body)
{
    private readonly string _boundary = "ca-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private bool _open;

    /// <summary>The response Content-Type for parts of <paramref name="type"/>.</summary>
    public string ContentType(string type) => $"multipart/related; type=\"{type}\"; boundary={_boundary}";

    /// <summary>Ends the previous part (if any) and writes the next part's headers; the caller then writes its content.</summary>
    public Task StartPartAsync(string contentType, CancellationToken cancellationToken)
    {
        var head = (_open ? "\r\n" : string.Empty) + "--" + _boundary + "\r\nContent-Type: " + contentType + "\r\n\r\n";
        _open = true;
        return body.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).AsTask();
    }

    /// <summary>Writes the closing delimiter.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) =>
        body.WriteAsync(Encoding.ASCII.GetBytes((_open ? "\r\n" : string.Empty) + "--" + _boundary + "--\r\n"), cancellationToken).AsTask();
}
