using CloudArchive.Dicom;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>
/// Reads a <c>multipart/related</c> request body (RFC 2387, as PS3.18 §8.6.1.2 uses it) part by part without buffering
/// it: boundary scanning is ASP.NET Core's <see cref="MultipartReader"/> over the request stream, each part's body is a
/// forward-only stream limited to <c>maxPartBytes</c>, and the whole body is limited to <c>maxRequestBytes</c> while it
/// streams (so a chunked request without Content-Length is held to it too). Unread rest of a part is skipped when the
/// next part is asked for. A body that is not well-formed ends in <see cref="MultipartFormatException"/>, a wrong media
/// type in <see cref="MultipartMediaTypeException"/>, a size over a limit in <see cref="PayloadTooLargeException"/>.
/// </summary>
public sealed class MultipartRelatedReader
{
    /// <summary>The largest part header block accepted (bytes).</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    /// <summary>The longest boundary accepted.</summary>
    public const int MaxBoundaryLength = 200;

    private readonly MultipartReader _reader;
    private readonly long _maxPartBytes;

    private MultipartRelatedReader(MultipartReader reader, string? type, long maxPartBytes)
    {
        _reader = reader;
        Type = type;
        _maxPartBytes = maxPartBytes;
    }

    /// <summary>The request's <c>type</c> parameter (the media type of its root part), if any.</summary>
    public string? Type { get; }

    /// <summary>Checks the request's media type and prepares to read its parts.</summary>
    /// <param name="contentType">The request's <c>Content-Type</c>.</param>
    /// <param name="body">The request body.</param>
    /// <param name="requiredType">The <c>type</c> parameter the resource requires (e.g. <c>application/dicom</c>).</param>
    /// <param name="maxRequestBytes">Limit of the whole body.</param>
    /// <param name="maxPartBytes">Limit of each part's body.</param>
    /// <exception cref="MultipartMediaTypeException">Not <c>multipart/related</c>, or another <c>type</c>.</exception>
    /// <exception cref="MultipartFormatException">No usable boundary.</exception>
    public static MultipartRelatedReader Create(string? contentType, Stream body, string requiredType, long maxRequestBytes, long maxPartBytes)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase))
        {
            throw new MultipartMediaTypeException($"The request body must be multipart/related; type=\"{requiredType}\".");
        }

        var type = Parameter(media, "type");
        if (type is null || !IsMediaType(type, requiredType))
        {
            throw new MultipartMediaTypeException($"The multipart/related request must have the type parameter \"{requiredType}\".");
        }

        var boundary = Parameter(media, "boundary");
        // RFC 2046 allows 70 characters; Orthanc's DICOMweb plugin sends two UUIDs (73), so longer ones are accepted.
        if (string.IsNullOrEmpty(boundary) || boundary.Length > MaxBoundaryLength)
        {
            throw new MultipartFormatException($"The multipart/related Content-Type has no boundary parameter (1 to {MaxBoundaryLength} characters).");
        }

        var limited = new ByteLimitStream(body, maxRequestBytes, "MaxRequestBytes");
        var reader = new MultipartReader(boundary, limited) { HeadersLengthLimit = MaxHeaderBytes, BodyLengthLimit = null };
        return new MultipartRelatedReader(reader, type, maxPartBytes);
    }

    /// <summary>The next part, or null after the closing boundary.</summary>
    /// <exception cref="MultipartFormatException">The body is not well-formed (no boundary found, truncated, bad headers).</exception>
    /// <exception cref="PayloadTooLargeException">The body exceeded the request limit while the reader skipped to the next part.</exception>
    public async Task<MultipartRelatedPart?> ReadNextPartAsync(CancellationToken cancellationToken)
    {
        MultipartSection? section;
        try
        {
            section = await _reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            // The reader's own format checks (header limits, malformed header lines).
            throw new MultipartFormatException("A part's headers are malformed or too long.", ex);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested && ex.GetType() == typeof(IOException))
        {
            // MultipartReader raises a plain IOException when the stream ends before a boundary (transport failures
            // are subclasses: BadHttpRequestException, ConnectionResetException, and propagate as they are).
            throw new MultipartFormatException("The body ended before the closing multipart boundary (or has no boundary at all).", ex);
        }

        if (section is null)
        {
            return null;
        }

        return new MultipartRelatedPart(section.ContentType, new PartBodyStream(section.Body, _maxPartBytes));
    }

    private static string? Parameter(MediaTypeHeaderValue media, string name)
    {
        var parameter = media.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        return parameter is null ? null : HeaderUtilities.RemoveQuotes(parameter.Value).Value;
    }

    /// <summary>True when <paramref name="value"/> is <paramref name="mediaType"/>, ignoring case and any parameters.</summary>
    public static bool IsMediaType(string? value, string mediaType) =>
        value is not null && MediaTypeHeaderValue.TryParse(value, out var parsed) && parsed.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>A part's body with the per-part limit; a premature end of the request is a format error.</summary>
    private sealed class PartBodyStream(Stream section, long maxPartBytes) : ReadOnlyStream
    {
        private readonly ByteLimitStream _limited = new(section, maxPartBytes, "MaxPartBytes");

        public override long Position => _limited.Position;

        public override int Read(Span<byte> buffer)
        {
            try
            {
                return _limited.Read(buffer);
            }
            catch (IOException ex) when (ex.GetType() == typeof(IOException))
            {
                throw Truncated(ex);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await _limited.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (ex.GetType() == typeof(IOException) && !cancellationToken.IsCancellationRequested)
            {
                throw Truncated(ex);
            }
        }

        private static MultipartFormatException Truncated(IOException inner) =>
            new("The body ended inside a part, before its closing multipart boundary.", inner);
    }
}
