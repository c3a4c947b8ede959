using System.Globalization;
using System.Net;
using System.Text.Json;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Research;

/// <summary>
/// A client of the researcher API (<c>{api}/api/research/...</c>). Waits out 429 answers for as long as
/// <c>Retry-After</c> says and retries 502/503/504 a few times; any other refusal becomes a
/// <see cref="ResearchApiException"/> carrying the API's error code. Every UID the API returns is checked before it
/// is used in a path (locally or in the next request), so a misbehaving server cannot steer files outside the output
/// directory.
/// </summary>
internal sealed class ResearchApiClient : IDisposable
{
    private const int MaxRateLimitedAttempts = 20;
    private const int MaxUnavailableAttempts = 4;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly ResearchCredentials _credentials;

    public ResearchApiClient(HttpClient http, Uri apiBase, ResearchCredentials credentials)
    {
        _http = http;
        _base = new Uri(apiBase.AbsoluteUri.TrimEnd('/') + "/api/research/");
        _credentials = credentials;
    }

    /// <summary>Releases the credentials (the development issuer's key).</summary>
    public void Dispose() => _credentials.Dispose();

    /// <summary>Called before each wait on a 429 (seconds to wait), for the progress display.</summary>
    public Action<TimeSpan>? RateLimited { get; set; }

    public async Task<IReadOnlyList<RemoteAgreement>> ListAgreementsAsync(CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync("agreements", cancellationToken).ConfigureAwait(false);
        return Array(json.RootElement, "agreements")
            .Select(a => new RemoteAgreement(
                String(a, "id"),
                a.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null,
                String(a, "purposeOfUse"),
                a.GetProperty("validFrom").GetDateTimeOffset(),
                a.GetProperty("validUntil").GetDateTimeOffset()))
            .ToList();
    }

    public async Task<IReadOnlyList<RemoteStudy>> ListStudiesAsync(string agreementId, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync($"agreements/{agreementId}/studies", cancellationToken).ConfigureAwait(false);
        return Array(json.RootElement, "studies")
            .Select(s => new RemoteStudy(Uid(s, "studyInstanceUid"), s.GetProperty("seriesCount").GetInt32(), s.GetProperty("instanceCount").GetInt32(), s.GetProperty("bytes").GetInt64()))
            .ToList();
    }

    /// <summary>Every instance of a study, with its series (one request).</summary>
    public async Task<IReadOnlyList<RemoteInstance>> ListStudyInstancesAsync(string agreementId, string studyUid, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync($"agreements/{agreementId}/studies/{studyUid}/instances", cancellationToken).ConfigureAwait(false);
        return Array(json.RootElement, "instances")
            .Select(i => new RemoteInstance(studyUid, Uid(i, "seriesInstanceUid"), Uid(i, "sopInstanceUid"), i.GetProperty("bytes").GetInt64()))
            .ToList();
    }

    /// <summary>The WADO-RS Accept header: the stored transfer syntax, whatever it is (nothing is transcoded).</summary>
    public const string WadoAccept = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    /// <summary>Streams one instance (WADO-RS RetrieveInstance) into <paramref name="target"/>; returns the bytes written.</summary>
    public async Task<long> DownloadInstanceAsync(string agreementId, RemoteInstance instance, Stream target, Action<long> progress, CancellationToken cancellationToken)
    {
        long written = -1;
        var parts = await RetrieveAsync(
            $"agreements/{agreementId}/dicomweb/studies/{instance.StudyInstanceUid}/series/{instance.SeriesInstanceUid}/instances/{instance.SopInstanceUid}",
            async (_, body) => written = await CopyAsync(body, target, progress, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return parts == 1 ? written : throw new ResearchApiException(null, "bad-response", "The instance retrieval did not answer with exactly one instance.");
    }

    /// <summary>
    /// Streams a study (WADO-RS RetrieveStudy), calling <paramref name="onInstance"/> with each part's
    /// <c>Content-Location</c> and body as it arrives; returns the number of parts.
    /// </summary>
    public Task<int> DownloadStudyAsync(string agreementId, string studyUid, Func<string?, Stream, Task> onInstance, CancellationToken cancellationToken) =>
        RetrieveAsync($"agreements/{agreementId}/dicomweb/studies/{studyUid}", (headers, body) => onInstance(headers.GetValueOrDefault("content-location"), body), cancellationToken);

    /// <summary>Copies a part body into <paramref name="target"/> with progress; a broken transfer is "transfer-failed".</summary>
    public static async Task<long> CopyAsync(Stream body, Stream target, Action<long> progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[128 * 1024];
        long total = 0;
        while (true)
        {
            int read;
            try
            {
                read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // The server cuts the connection when a transfer fails half-way (half a file must not look whole);
                // the caller discards the partial file and the next run fetches it again.
                throw Interrupted();
            }

            if (read == 0)
            {
                return total;
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            total += read;
            progress(read);
        }
    }

    private async Task<int> RetrieveAsync(string relative, Func<IReadOnlyDictionary<string, string>, Stream, Task> onPart, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(relative, cancellationToken, WadoAccept).ConfigureAwait(false);
        var boundary = MultipartResponseReader.Boundary(response.Content.Headers.ContentType?.ToString());
        if (boundary is null || response.Content.Headers.ContentType?.MediaType != "multipart/related")
        {
            throw new ResearchApiException(response.StatusCode, "bad-response", "The researcher API did not answer WADO-RS with multipart/related.");
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var reader = new MultipartResponseReader(body, boundary);
            var count = 0;
            while (true)
            {
                MultipartPart? part;
                try
                {
                    part = await reader.ReadPartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    throw Interrupted();
                }

                if (part is null)
                {
                    return count;
                }

                count++;
                await onPart(part.Headers, part.Body).ConfigureAwait(false);
            }
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string relative, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(relative, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            try
            {
                return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                throw new ResearchApiException(response.StatusCode, "bad-response", "The researcher API answered with something that is not JSON.");
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string relative, CancellationToken cancellationToken, string? accept = null)
    {
        var rateLimited = 0;
        var unavailable = 0;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, relative));
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            await _credentials.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
            {
                throw new ResearchApiException(null, "unreachable", $"The researcher API at {_base.GetLeftPart(UriPartial.Authority)} is not reachable ({ex.HttpRequestError}).");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                throw Interrupted();
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests && ++rateLimited < MaxRateLimitedAttempts)
                {
                    var wait = RetryAfter(response) ?? TimeSpan.FromSeconds(1);
                    RateLimited?.Invoke(wait);
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                    && ++unavailable < MaxUnavailableAttempts)
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, unavailable)), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static ResearchApiException Interrupted() =>
        new(null, "transfer-failed", "The transfer from the researcher API was interrupted; run the command again to resume.");

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var delta = response.Headers.RetryAfter?.Delta;
        if (delta is null && response.Headers.RetryAfter?.Date is { } date)
        {
            delta = date - DateTimeOffset.UtcNow;
        }

        return delta is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, TimeSpan.TicksPerSecond, MaxRetryAfter.Ticks)) : null;
    }

    private static async Task<ResearchApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = "http-" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var message = $"The researcher API answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(text.Length > 4096 ? "{}" : text);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                && json.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                code = e.GetString()!;
                message = m.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not the API's JSON (e.g. a proxy's HTML page): keep the status line.
        }

        return new ResearchApiException(response.StatusCode, code, message);
    }

    private static IEnumerable<JsonElement> Array(JsonElement root, string property) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().ToList()
            : throw new ResearchApiException(null, "bad-response", $"The researcher API's answer has no '{property}' list.");

    private static string String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ResearchApiException(null, "bad-response", $"The researcher API's answer has no '{property}'.");

    private static string Uid(JsonElement element, string property)
    {
        var uid = String(element, property);
        return DicomUid.IsValid(uid) ? uid : throw new ResearchApiException(null, "bad-response", $"The researcher API returned a malformed '{property}'.");
    }
}
