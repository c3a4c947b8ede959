using System.Net;

namespace CloudArchive.Functions.Research;

/// <summary>
/// The client address for the audit trail: the first hop of <c>X-Forwarded-For</c> (the Azure front end and the
/// Functions host proxy the request, so the socket peer is the host), else the socket peer. A hint for
/// investigations, not a security control: a client can prepend its own entries to the header.
/// </summary>
public static class ForwardedClientAddress
{
    /// <summary>Returns the client address, or null when none can be read.</summary>
    /// <param name="forwardedFor">The <c>X-Forwarded-For</c> value(s).</param>
    /// <param name="peer">The socket peer address.</param>
    public static IPAddress? Resolve(IReadOnlyList<string?> forwardedFor, IPAddress? peer)
    {
        ArgumentNullException.ThrowIfNull(forwardedFor);
        var first = forwardedFor.Count > 0 ? forwardedFor[0]?.Split(',')[0].Trim() : null;
        return ParseHop(first) ?? peer;
    }

    private static IPAddress? ParseHop(string? hop)
    {
        if (string.IsNullOrEmpty(hop) || hop.Length > 64)
        {
            return null;
        }

        if (IPAddress.TryParse(hop, out var address))
        {
            return address;
        }

        // "[v6]:port" or "v4:port" (App Service appends the client port).
        if (hop.StartsWith('[') && hop.IndexOf(']', StringComparison.Ordinal) is > 1 and var close)
        {
            return IPAddress.TryParse(hop.AsSpan(1, close - 1), out address) ? address : null;
        }

        var colon = hop.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon == hop.LastIndexOf(':') && IPAddress.TryParse(hop.AsSpan(0, colon), out address) ? address : null;
    }
}
