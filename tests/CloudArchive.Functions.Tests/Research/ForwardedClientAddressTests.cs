using System.Net;
using CloudArchive.Functions.Research;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>The client address recorded in audit lines.</summary>
public sealed class ForwardedClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("203.0.113.7:50123, 10.0.0.1", "203.0.113.7")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public void First_hop_is_used(string header, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), ForwardedClientAddress.Resolve([header], IPAddress.Loopback));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("unknown, 203.0.113.7")]
    public void Unusable_header_falls_back_to_the_peer(string? header) =>
        Assert.Equal(IPAddress.Loopback, ForwardedClientAddress.Resolve(header is null ? [] : [header], IPAddress.Loopback));
}
