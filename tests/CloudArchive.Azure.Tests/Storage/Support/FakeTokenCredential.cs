using System.Collections.Concurrent;
using Azure.Core;

namespace CloudArchive.Azure.Tests.Storage.Support;

/// <summary>Hands out a fixed token and records the scopes asked for.</summary>
internal sealed class FakeTokenCredential(string token) : TokenCredential
{
    public ConcurrentQueue<string[]> RequestedScopes { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        RequestedScopes.Enqueue(requestContext.Scopes);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
