using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace CloudArchive.Benchmarks.Storage;

/// <summary>
/// The baseline: one bare <see cref="HttpClient"/> Put Blob / Get Blob per operation, signed with a minimal,
/// independent SharedKey implementation (no pipeline, no retries, no staging). What the client is compared to.
/// </summary>
internal sealed class BareSharedKeyHttp : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromMinutes(30) };
    private readonly string _account;
    private readonly byte[] _key;

    public BareSharedKeyHttp(string account, string base64Key)
    {
        _account = account;
        _key = Convert.FromBase64String(base64Key);
    }

    /// <summary>Put Blob of the whole stream in one request.</summary>
    public async Task PutAsync(Uri blobUri, Stream content, long length, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, blobUri) { Content = new StreamContent(content, 1024 * 1024) };
        request.Content.Headers.ContentLength = length;
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        Sign(request, length);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"baseline PUT failed: {(int)response.StatusCode}");
        }
    }

    /// <summary>Get Blob, draining the body through <paramref name="buffer"/>; returns the bytes read.</summary>
    public async Task<long> GetAsync(Uri blobUri, byte[] buffer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, blobUri);
        Sign(request, 0);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode != 200)
        {
            throw new InvalidOperationException($"baseline GET failed: {(int)response.StatusCode}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total;
    }

    public void Dispose() => _http.Dispose();

    private void Sign(HttpRequestMessage request, long contentLength)
    {
        request.Headers.Add("x-ms-date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        request.Headers.Add("x-ms-version", CloudArchive.Azure.Storage.StorageOptions.DefaultServiceVersion);
        var msHeaders = request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Key.ToLowerInvariant() + ":" + string.Join(",", h.Value))
            .Order(StringComparer.Ordinal);
        var stringToSign = string.Join('\n',
            request.Method.Method, string.Empty, string.Empty, contentLength == 0 ? string.Empty : contentLength.ToString(CultureInfo.InvariantCulture),
            string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty)
            + "\n" + string.Concat(msHeaders.Select(h => h + "\n"))
            + "/" + _account + request.RequestUri!.AbsolutePath;
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.Authorization = new AuthenticationHeaderValue("SharedKey", _account + ":" + signature);
    }
}
