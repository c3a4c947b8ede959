using System.Net.Http.Headers;
using CloudArchive.Azure.Identity;

namespace CloudArchive.Functions.Tests.Research;

/// <summary>
/// Signs each request marked with a <see cref="TestCaller"/> with a development token for the app the client talks to
/// (the issuer URI contains the app's port, and the tests start several apps over one signing key).
/// </summary>
internal sealed class DevelopmentTokenHandler(DevelopmentTokenIssuer issuer, Uri appBase) : DelegatingHandler(new HttpClientHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(TestCaller.Key, out var caller))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Mint(new DevelopmentTokenRequest
            {
                Issuer = DevelopmentTokenIssuer.IssuerUri(appBase),
                ObjectId = caller.ObjectId,
                Groups = caller.Groups,
                Roles = caller.EffectiveRoles,
            }));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
