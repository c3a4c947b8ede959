using System.Net;

namespace CloudArchive.Cli.Commands.Research;

/// <summary>The researcher API refused a request or could not be reached; the message is the API's fixed error text, never a token.</summary>
internal sealed class ResearchApiException : Exception
{
    public ResearchApiException(HttpStatusCode? status, string code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    /// <summary>The HTTP status, or null when the API was not reachable.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>The API's error code (e.g. <c>forbidden</c>, <c>agreement-expired</c>) or a local one (<c>unreachable</c>).</summary>
    public string Code { get; }
}
