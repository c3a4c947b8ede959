using System.Net;

namespace CloudArchive.Cli.Commands.Upload;

/// <summary>A STOW-RS request was refused as a whole (401/403) or the service could not be reached or failed (5xx).</summary>
internal sealed class DicomWebUploadException(HttpStatusCode? status, string message) : Exception(message)
{
    /// <summary>The HTTP status, or null when the service was not reached.</summary>
    public HttpStatusCode? Status { get; } = status;

    /// <summary>True for 401 and 403: the caller is not allowed (exit code 4); otherwise unavailable (3).</summary>
    public bool IsRefusal => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
