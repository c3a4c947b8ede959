using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Azure.Storage.Auth;

/// <summary>
/// Signs each request (each retry, so <c>x-ms-date</c> stays fresh) with the Shared Key scheme used by Blob and
/// Queue Storage: <c>Authorization: SharedKey account:base64(HMAC-SHA256(key, StringToSign))</c>.
/// </summary>
internal sealed class StorageSharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    private readonly string _accountName;
    private readonly byte[] _key;

    public StorageSharedKeyPolicy(string accountName, string base64Key)
    {
        _accountName = accountName;
        _key = Convert.FromBase64String(base64Key);
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        var stringToSign = BuildStringToSign(request, _accountName);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.SetValue("Authorization", "SharedKey " + _accountName + ":" + signature);
    }

    /// <summary>The exact StringToSign of the Shared Key scheme (version 2009-09-19 and later).</summary>
    internal static string BuildStringToSign(Request request, string accountName)
    {
        var contentLength = string.Empty;
        if (request.Content is not null && request.Content.TryComputeLength(out var length) && length != 0)
        {
            contentLength = length.ToString(CultureInfo.InvariantCulture);
        }

        var sb = new StringBuilder(512);
        sb.Append(request.Method.Method).Append('\n');
        sb.Append(Header(request, "Content-Encoding")).Append('\n');
        sb.Append(Header(request, "Content-Language")).Append('\n');
        sb.Append(contentLength).Append('\n');
        sb.Append(Header(request, "Content-MD5")).Append('\n');
        sb.Append(Header(request, "Content-Type")).Append('\n');
        sb.Append('\n'); // Date: x-ms-date is always sent instead.
        sb.Append(Header(request, "If-Modified-Since")).Append('\n');
        sb.Append(Header(request, "If-Match")).Append('\n');
        sb.Append(Header(request, "If-None-Match")).Append('\n');
        sb.Append(Header(request, "If-Unmodified-Since")).Append('\n');
        sb.Append(Header(request, "Range")).Append('\n');

        var msHeaders = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            if (header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                msHeaders.Add(new(header.Name.ToLowerInvariant(), header.Value));
            }
        }

        msHeaders.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (name, value) in msHeaders)
        {
            sb.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        var uri = request.Uri.ToUri();
        sb.Append('/').Append(accountName).Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");

        var query = uri.Query;
        if (query.Length > 1)
        {
            var parameters = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var pair in query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
                var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                if (!parameters.TryGetValue(name, out var values))
                {
                    parameters[name] = values = [];
                }

                values.Add(value);
            }

            foreach (var (name, values) in parameters)
            {
                values.Sort(StringComparer.Ordinal);
                sb.Append('\n').Append(name).Append(':').Append(string.Join(',', values));
            }
        }

        return sb.ToString();
    }

    private static string Header(Request request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value : string.Empty;
}
