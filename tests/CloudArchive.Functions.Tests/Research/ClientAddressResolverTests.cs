using System.Net;
using CloudArchive.Functions.Research;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>The client address used for rate limiting and the audit trail.</summary>
public sealed class ClientAddressResolverTests
{
    private static DefaultHttpContext Context(string? forwardedFor)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.9");
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        return context;
    }

    [Fact]
    public void Without_a_configured_header_the_socket_peer_is_used_whatever_the_client_sends() =>
        Assert.Equal(IPAddress.Parse("10.0.0.9"), new ClientAddressResolver(null).Resolve(Context("203.0.113.7")));

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("198.51.100.66, 203.0.113.7:50123", "203.0.113.7")] // the first hop is the client's own claim
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("evil, 2001:db8::1", "2001:db8::1")]
    public void With_a_configured_header_its_last_entry_is_used(string header, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), new ClientAddressResolver("X-Forwarded-For").Resolve(Context(header)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("203.0.113.7, not-an-address")]
    public void An_unusable_header_falls_back_to_the_socket_peer(string? header) =>
        Assert.Equal(IPAddress.Parse("10.0.0.9"), new ClientAddressResolver("X-Forwarded-For").Resolve(Context(header)));

    [Fact]
    public void IPv6_clients_share_a_bucket_per_64_prefix()
    {
        Assert.Equal(
            ClientAddressResolver.Partition(IPAddress.Parse("2001:db8:1:2::1")),
            ClientAddressResolver.Partition(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(
            ClientAddressResolver.Partition(IPAddress.Parse("2001:db8:1:2::1")),
            ClientAddressResolver.Partition(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("ip:203.0.113.7", ClientAddressResolver.Partition(IPAddress.Parse("::ffff:203.0.113.7")));
    }
}
