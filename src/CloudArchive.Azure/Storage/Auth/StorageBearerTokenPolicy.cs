using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Storage.Auth;

/// <summary>
/// The Entra ID bearer-token policy of a connection. A subclass only so that Blob Batch sub-requests, which
/// never pass through the pipeline themselves, get their <c>Authorization</c> header from the same token cache
/// as the outer request instead of asking the credential again.
/// </summary>
internal sealed class StorageBearerTokenPolicy : BearerTokenAuthenticationPolicy
{
    public StorageBearerTokenPolicy(TokenCredential credential)
        : base(credential, StorageApi.EntraScope)
    {
    }

    /// <summary>Sets <c>Authorization: Bearer …</c> on a message that will be serialized rather than sent.</summary>
    public ValueTask AuthorizeDetachedRequestAsync(HttpMessage message) => AuthorizeRequestAsync(message);
}
