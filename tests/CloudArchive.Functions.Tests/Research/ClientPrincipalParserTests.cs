using System.Net;
using System.Text;
using CloudArchive.Functions.Research;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>Reading <c>X-MS-CLIENT-PRINCIPAL</c> as App Service Authentication sends it, and refusing anything else.</summary>
public sealed class ClientPrincipalParserTests
{
    private const string Oid = "5F2B9C1E-7A4D-4E8B-9C3F-2D1E0A9B8C7D";

    private static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    private static ClientPrincipal? Parse(string? header, string? idHeader, out string reason) =>
        ClientPrincipalParser.TryParse(header is null ? [] : [header], idHeader is null ? [] : [idHeader], IPAddress.Loopback, out reason);

    [Fact]
    public void Mapped_object_id_groups_and_upn_are_read_and_ids_lowercased()
    {
        var header = B64($$"""
            {"auth_typ":"aad","claims":[
              {"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"{{Oid}}"},
              {"typ":"groups","val":"6F1C7C8E-0D5B-4A39-9A43-1B8A7F0D2C11"},
              {"typ":"groups","val":"not-a-guid"},
              {"typ":"groups","val":"6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"},
              {"typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn","val":"ada@example.org"},
              {"typ":"name","val":"Ada"}],
             "name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}
            """);

        var principal = Parse(header, Oid.ToLowerInvariant(), out _);

        Assert.NotNull(principal);
        Assert.Equal(Oid.ToLowerInvariant(), principal.ObjectId);
        Assert.Equal(["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"], principal.GroupIds);
        Assert.Equal("ada@example.org", principal.Upn);
        Assert.Equal([Oid.ToLowerInvariant(), "6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"], principal.PrincipalIds);
    }

    [Fact]
    public void Short_oid_claim_and_base64url_without_padding_are_accepted()
    {
        var header = B64($$"""{"claims":[{"typ":"oid","val":"{{Oid}}"}]}""").TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(Oid.ToLowerInvariant(), Parse(header, null, out _)?.ObjectId);
    }

    [Fact]
    public void Encode_round_trips()
    {
        var principal = Parse(ClientPrincipalParser.Encode(Oid.ToLowerInvariant(), ["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"]), null, out _);

        Assert.Equal(Oid.ToLowerInvariant(), principal?.ObjectId);
        Assert.Equal(["6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"], principal?.GroupIds);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("   ", "missing")]
    [InlineData("%%%", "not-base64")]
    [InlineData("QQ", "not-json")] // "A"
    [InlineData("eyJjbGFpbXMiOjF9", "no-claims")] // {"claims":1}
    [InlineData("eyJjbGFpbXMiOlsxXX0=", "bad-claim")] // {"claims":[1]}
    [InlineData("eyJjbGFpbXMiOlt7InR5cCI6Im9pZCIsInZhbCI6MX1dfQ==", "bad-claim")] // {"claims":[{"typ":"oid","val":1}]}
    [InlineData("eyJjbGFpbXMiOlt7InR5cCI6Im5hbWUiLCJ2YWwiOiJ4In1dfQ==", "no-object-id")] // {"claims":[{"typ":"name","val":"x"}]}
    [InlineData("eyJjbGFpbXMiOlt7InR5cCI6Im9pZCIsInZhbCI6IntkZWFkYmVlZn0ifV19", "bad-object-id")] // oid "{deadbeef}"
    public void Malformed_principals_are_refused_with_a_reason(string? header, string expected)
    {
        Assert.Null(Parse(header, null, out var reason));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Two_different_object_ids_are_refused()
    {
        var header = B64($$"""{"claims":[{"typ":"oid","val":"{{Oid}}"},{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"{{Guid.NewGuid()}}"}]}""");

        Assert.Null(Parse(header, null, out var reason));
        Assert.Equal("bad-object-id", reason);
    }

    [Fact]
    public void Principal_id_header_must_match_the_object_id()
    {
        var header = ClientPrincipalParser.Encode(Oid.ToLowerInvariant());

        Assert.Null(Parse(header, Guid.NewGuid().ToString(), out var reason));
        Assert.Equal("id-mismatch", reason);
        Assert.NotNull(Parse(header, Oid, out _));
    }

    [Fact]
    public void Repeated_or_oversized_headers_are_refused_unread()
    {
        var header = ClientPrincipalParser.Encode(Oid.ToLowerInvariant());

        Assert.Null(ClientPrincipalParser.TryParse([header, header], [], null, out var repeated));
        Assert.Equal("repeated", repeated);
        Assert.Null(Parse(new string('A', ClientPrincipalParser.MaxHeaderLength + 4), null, out var large));
        Assert.Equal("too-large", large);
    }
}
