using System.Collections.Concurrent;
using Azure.Core;

namespace CloudArchive.Azure.Tests.KeyVault;

/// <summary>A credential that issues a token naming the scope and tenant it was asked for, and records every request.</summary>
internal sealed class FakeTokenCredential : TokenCredential
{
    private readonly ConcurrentQueue<TokenRequestContext> _requests = new();

    public IReadOnlyList<TokenRequestContext> Requests => _requests.ToArray();

    public static string TokenFor(string scope, string? tenant) => $"fake.{Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(scope + "|" + tenant))}";

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _requests.Enqueue(requestContext);
        return new AccessToken(TokenFor(requestContext.Scopes.Single(), requestContext.TenantId), DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
