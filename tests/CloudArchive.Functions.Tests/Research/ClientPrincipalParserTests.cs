using System.Text;
using CloudArchive.Core.Identity;
using CloudArchive.Functions.Research;
using Xunit;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>What is left of the App Service principal header: a check that it names the token's caller, nothing more.</summary>
public sealed class ClientPrincipalParserTests
{
    private const string Oid = "3b9d0c2e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
    private const string Tid = "00000000-0000-4000-8000-00000000c1a0";
    private static readonly ArchivePrincipal Caller = new(Tid, Oid, ["Research.Read"], []);

    private static string Header(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    private static string Claims(string oid, string tid) =>
        Header($$"""{"auth_typ":"aad","claims":[{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"{{oid}}"},{"typ":"http://schemas.microsoft.com/identity/claims/tenantid","val":"{{tid}}"}]}""");

    [Fact]
    public void Absent_headers_agree_the_token_alone_is_proof() =>
        Assert.True(ClientPrincipalParser.AgreesWith([], [], Caller, out _));

    [Fact]
    public void A_header_naming_the_same_object_id_and_tenant_agrees() =>
        Assert.True(ClientPrincipalParser.AgreesWith([Claims(Oid.ToUpperInvariant(), Tid)], [Oid], Caller, out _));

    [Theory]
    [InlineData("7c1d7f0e-0000-4000-8000-000000000001", Tid, "principal-mismatch")]
    [InlineData(Oid, "11111111-2222-4333-8444-555555555555", "principal-mismatch")]
    public void A_header_naming_someone_else_disagrees(string oid, string tid, string reason)
    {
        Assert.False(ClientPrincipalParser.AgreesWith([Claims(oid, tid)], [], Caller, out var why));
        Assert.Equal(reason, why);
    }

    [Theory]
    [InlineData("!!!not base64!!!", "unreadable")]
    [InlineData("bm90IGpzb24=", "unreadable")] // "not json"
    [InlineData("eyJjbGFpbXMiOltdfQ==", "principal-incomplete")] // {"claims":[]}
    public void An_unreadable_or_incomplete_header_disagrees(string header, string reason)
    {
        Assert.False(ClientPrincipalParser.AgreesWith([header], [], Caller, out var why));
        Assert.Equal(reason, why);
    }

    [Fact]
    public void A_different_id_header_or_repeated_headers_disagree()
    {
        Assert.False(ClientPrincipalParser.AgreesWith([], ["7c1d7f0e-0000-4000-8000-000000000001"], Caller, out var mismatch));
        Assert.Equal("id-mismatch", mismatch);
        Assert.False(ClientPrincipalParser.AgreesWith([Claims(Oid, Tid), Claims(Oid, Tid)], [], Caller, out var repeated));
        Assert.Equal("repeated", repeated);
    }
}
