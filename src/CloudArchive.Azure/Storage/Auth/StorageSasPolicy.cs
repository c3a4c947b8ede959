using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Storage.Auth;

/// <summary>Appends a shared access signature to every request's query string.</summary>
internal sealed class StorageSasPolicy : HttpPipelineSynchronousPolicy
{
    private readonly string _sas;

    public StorageSasPolicy(string sas) => _sas = sas.TrimStart('?');

    /// <summary>
    /// True for an account SAS granting the blob service at service scope (<c>ss</c> has <c>b</c>, <c>srt</c> has
    /// <c>s</c>), which may therefore send service-level requests such as a service-scoped Blob Batch.
    /// </summary>
    public bool GrantsBlobServiceScope
    {
        get
        {
            string? services = null;
            string? resourceTypes = null;
            foreach (var pair in _sas.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                if (parts.Length == 2 && parts[0] == "ss")
                {
                    services = Uri.UnescapeDataString(parts[1]);
                }
                else if (parts.Length == 2 && parts[0] == "srt")
                {
                    resourceTypes = Uri.UnescapeDataString(parts[1]);
                }
            }

            return services?.Contains('b', StringComparison.Ordinal) == true && resourceTypes?.Contains('s', StringComparison.Ordinal) == true;
        }
    }

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
