using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Storage.Auth;

/// <summary>Stamps the pinned <c>x-ms-version</c> on every request.</summary>
internal sealed class StorageVersionPolicy : HttpPipelineSynchronousPolicy
{
    public static readonly StorageVersionPolicy Instance = new();

    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue("x-ms-version", StorageApi.Version);
}
