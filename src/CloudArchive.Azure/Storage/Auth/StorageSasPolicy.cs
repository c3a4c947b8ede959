using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Storage.Auth;

/// <summary>Appends a shared access signature to every request's query string.</summary>
internal sealed class StorageSasPolicy : HttpPipelineSynchronousPolicy
{
    private readonly string _sas;

    public StorageSasPolicy(string sas) => _sas = sas.TrimStart('?');

    public override void OnSendingRequest(HttpMessage message)
    {
        var uri = message.Request.Uri;
        var query = uri.Query;
        if (query.Contains("sig=", StringComparison.Ordinal))
        {
            return; // a retry of a request already carrying the SAS
        }

        uri.Query = string.IsNullOrEmpty(query) || query == "?" ? "?" + _sas : query + "&" + _sas;
    }
}
