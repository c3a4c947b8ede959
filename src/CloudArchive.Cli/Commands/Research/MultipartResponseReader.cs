using System.Text;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Research;

/// <summary>
/// Reads a <c>multipart/related</c> body (RFC 2046 §5.1) part by part from a stream without holding a part in memory:
/// each part's body is a stream that ends at the next delimiter (<c>CRLF--boundary</c>). Used by <c>research fetch</c>
/// on WADO-RS responses; a body that ends before the closing delimiter is an <see cref="IOException"/>, so a cut
/// transfer is never taken for a complete one.
/// </summary>
public sealed class MultipartResponseReader
{
    private const int MaxHeaderBytes = 16 * 1024;
    private readonly Stream _input;
    private readonly byte[] _delimiter;
    private readonly byte[] _buffer = new byte[128 * 1024];
    private int _start;
    private int _end;
    private bool _finished;
    private PartStream? _current;

    /// <summary>Creates a reader for a body with <paramref name="boundary"/>.</summary>
    public MultipartResponseReader(Stream input, string boundary)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        _delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
    }

    /// <summary>The boundary parameter of a <c>Content-Type</c> value, or null when it has none.</summary>
    public static string? Boundary(string? contentType)
    {
        foreach (var p in (contentType ?? string.Empty).Split(';').Skip(1))
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && p[..eq].Trim().Equals("boundary", StringComparison.OrdinalIgnoreCase))
            {
                return p[(eq + 1)..].Trim().Trim('"');
            }
        }

        return null;
    }

    /// <summary>The next part, or null after the closing delimiter. The previous part's body is skipped if unread.</summary>
    /// <exception cref="IOException">The body is not well-formed or ends early.</exception>
    public async Task<MultipartPart?> ReadPartAsync(CancellationToken cancellationToken)
    {
        if (_current is null)
        {
            // The first delimiter has no leading CRLF: pretend one so every delimiter looks the same.
            await FillAsync(_delimiter.Length, cancellationToken).ConfigureAwait(false);
            if (!_buffer.AsSpan(_start, _end - _start).StartsWith(_delimiter.AsSpan(2)))
            {
                throw new IOException("The multipart body does not start with its boundary.");
            }

            _start += _delimiter.Length - 2;
        }
        else if (!_current.Done)
        {
            await _current.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        if (_finished)
        {
            return null;
        }

        if (!await FillAsync(2, cancellationToken).ConfigureAwait(false) && _end - _start < 2)
        {
            throw new IOException("The multipart body ended before its closing boundary.");
        }

        if (_buffer.AsSpan(_start, 2).SequenceEqual("--"u8))
        {
            _finished = true;
            return null;
        }

        var headers = await ReadHeadersAsync(cancellationToken).ConfigureAwait(false);
        _current = new PartStream(this);
        return new MultipartPart(headers, _current);
    }

    private async Task<Dictionary<string, string>> ReadHeadersAsync(CancellationToken cancellationToken)
    {
        // After the delimiter: optional transport padding, CRLF, header lines, an empty line.
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var first = true;
        var total = 0;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            total += line.Length + 2;
            if (total > MaxHeaderBytes)
            {
                throw new IOException("A multipart part's headers are too long.");
            }

            if (first)
            {
                first = false;
                if (line.Trim().Length != 0)
                {
                    throw new IOException("A multipart delimiter is not followed by a line break.");
                }

                continue;
            }

            if (line.Length == 0)
            {
                return headers;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var crlf = span.IndexOf("\r\n"u8);
            if (crlf >= 0)
            {
                var line = Encoding.ASCII.GetString(span[..crlf]);
                _start += crlf + 2;
                return line;
            }

            if (_end - _start >= MaxHeaderBytes)
            {
                throw new IOException("A multipart header line is too long.");
            }

            if (!await FillAsync(_end - _start + 1, cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("The multipart body ended inside a part's headers.");
            }
        }
    }

    // Makes at least `count` bytes available (fewer only at the end of the input); false when no more came.
    private async Task<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var grew = false;
        while (_end < count)
        {
            var n = await _input.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return grew && _end >= count;
            }

            _end += n;
            grew = true;
        }

        return true;
    }

    // Reads body bytes of the current part into `destination`; 0 once its delimiter is reached (then consumed).
    private async ValueTask<int> ReadBodyAsync(Memory<byte> destination, PartStream part, CancellationToken cancellationToken)
    {
        if (part.Done)
        {
            return 0;
        }

        await FillAsync(_delimiter.Length, cancellationToken).ConfigureAwait(false);
        var span = _buffer.AsSpan(_start, _end - _start);
        var at = span.IndexOf(_delimiter);
        if (at == 0)
        {
            _start += _delimiter.Length;
            part.Done = true;
            return 0;
        }

        if (span.Length < _delimiter.Length && at < 0)
        {
            throw new IOException("The multipart body ended before its closing boundary.");
        }

        // Without a delimiter in view, the last delimiter-length-minus-one bytes may be the start of one: keep them.
        var safe = at >= 0 ? at : span.Length - (_delimiter.Length - 1);
        var n = Math.Min(safe, destination.Length);
        span[..n].CopyTo(destination.Span);
        _start += n;
        return n;
    }

    private sealed class PartStream(MultipartResponseReader reader) : ReadOnlyStream
    {
        public bool Done { get; set; }

        public override int Read(byte[] buffer, int offset, int count) => ReadBlocking(buffer, offset, count);

        public override int Read(Span<byte> buffer) => ReadBlocking(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            buffer.Length == 0 ? ValueTask.FromResult(0) : reader.ReadBodyAsync(buffer, this, cancellationToken);
    }
}
