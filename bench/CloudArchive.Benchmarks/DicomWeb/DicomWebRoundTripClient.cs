using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace CloudArchive.Benchmarks.DicomWeb;

/// <summary>
/// The DICOMweb client of <see cref="DicomWebMemoryHarness"/>, in the harness process: one chunked STOW-RS request
/// streamed from a file, and a WADO-RS instance retrieve whose DICOM part is streamed into a SHA-256 (never held).
/// </summary>
internal sealed class DicomWebRoundTripClient(Uri baseUri) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>STOW-RS of the file at <paramref name="path"/> with <paramref name="token"/>; returns the HTTP status.</summary>
    public async Task<int> StowAsync(string path, string token, CancellationToken cancellationToken)
    {
        using var content = new MultipartContent("related", "bench-" + Guid.NewGuid().ToString("N"));
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        var part = new StreamContent(File.OpenRead(path), 81920);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        content.Add(part);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/dicomweb/studies") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Accept.ParseAdd("application/dicom+json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    /// <summary>
    /// WADO-RS of one instance (<c>Archive.Read</c> token, purpose TREAT, any transfer syntax); returns the length and
    /// SHA-256 of its single <c>application/dicom</c> part. Throws when the answer is not 200 or not exactly one part.
    /// </summary>
    public async Task<(long Length, byte[] Sha256)> RetrieveAsync(string instancePath, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, instancePath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Purpose-Of-Use", "TREAT");
        request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"WADO-RS answered {(int)response.StatusCode}");
        }

        var boundary = response.Content.Headers.ContentType?.Parameters.FirstOrDefault(p => p.Name == "boundary")?.Value?.Trim('"')
            ?? throw new InvalidOperationException("WADO-RS answered without a multipart boundary");
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var reader = new MultipartReader(boundary, body);
            var section = await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("WADO-RS answered no part");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[128 * 1024];
            long length = 0;
            int read;
            while ((read = await section.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
            }

            if (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new InvalidOperationException("WADO-RS answered more than one part for one instance");
            }

            return (length, hash.GetHashAndReset());
        }
    }

    /// <summary>The length and SHA-256 of a file.</summary>
    public static async Task<(long Length, byte[] Sha256)> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            return (file.Length, await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        }
    }

    public void Dispose() => _http.Dispose();
}
