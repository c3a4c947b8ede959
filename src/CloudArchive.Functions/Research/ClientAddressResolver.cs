using System.Net;
using System.Net.Sockets;

namespace CloudArchive.Functions.Research;

/// <summary>
/// The client address used for rate limiting unauthenticated callers and for the audit trail. By default the socket
/// peer, which a client cannot choose. Only when <see cref="ResearchApiOptions.ForwardedHeader"/> names a header (e.g.
/// <c>X-Forwarded-For</c> behind App Service's front end) is that header read, and then only its <em>last</em> entry:
/// proxies append the address they saw, so the last entry is the one the platform's own front end wrote, while every
/// entry before it is whatever the client sent and can be forged.
/// </summary>
public sealed class ClientAddressResolver
{
    private readonly string? _header;

    /// <summary>Creates the resolver; <paramref name="forwardedHeader"/> null or empty means the socket peer only.</summary>
    public ClientAddressResolver(string? forwardedHeader) => _header = string.IsNullOrWhiteSpace(forwardedHeader) ? null : forwardedHeader.Trim();

    /// <summary>The client address, or null when none is known.</summary>
    public IPAddress? Resolve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = context.Connection.RemoteIpAddress;
        if (_header is null)
        {
            return peer;
        }

        var values = context.Request.Headers[_header];
        return values.Count == 0 ? peer : LastHop(values[values.Count - 1]) ?? peer;
    }

    /// <summary>
    /// The rate-limit partition of an address: the address itself for IPv4, its /64 prefix for IPv6 (one host usually
    /// holds a whole /64, so per-address buckets would be free to multiply).
    /// </summary>
    public static string Partition(IPAddress? address)
    {
        if (address is null)
        {
            return "ip:unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return "ip:" + new IPAddress(bytes) + "/64";
        }

        return "ip:" + address;
    }

    /// <summary>Parses the last entry of a forwarded-for value (<c>a, b, c</c> → <c>c</c>), with or without a port.</summary>
    public static IPAddress? LastHop(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var comma = value.LastIndexOf(',');
        var hop = (comma < 0 ? value : value[(comma + 1)..]).Trim();
        if (hop.Length is 0 or > 64)
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
