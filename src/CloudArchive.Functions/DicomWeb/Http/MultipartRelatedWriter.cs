using System.Security.Cryptography;
using System.Text;

namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>
/// Writes a <c>multipart/related</c> body (RFC 2387, PS3.18 8.6.1.2) part by part to a stream: each part's bytes are
/// copied through as they come, so a study streams with one copy buffer whatever its size. Usage:
/// set the response's <c>Content-Type</c> to <see cref="ContentType"/>, call <see cref="WritePartAsync(string, Stream, CancellationToken, IReadOnlyList{KeyValuePair{string, string}})"/>
/// per part, then <see cref="CompleteAsync"/>. The boundary is random (128 bits), so it cannot occur in DICOM
/// content by chance.
/// </summary>
public sealed class MultipartRelatedWriter
{
    private const int CopyBufferSize = 81920;
    private readonly Stream _output;
    private bool _completed;

    /// <summary>Creates a writer over <paramref name="output"/> (not disposed by the writer).</summary>
    public MultipartRelatedWriter(Stream output, string? boundary = null)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        Boundary = boundary ?? "CloudArchive-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        if (Boundary.Length is 0 or > 70 || Boundary.Any(c => c is '"' or '\r' or '\n'))
        {
            throw new ArgumentException("Not a valid multipart boundary (RFC 2046: 1 to 70 characters).", nameof(boundary));
        }
    }

    /// <summary>The boundary.</summary>
    public string Boundary { get; }

    /// <summary>Parts written so far.</summary>
    public int PartCount { get; private set; }

    /// <summary>The <c>Content-Type</c> of the whole body: <c>multipart/related; type="…"; boundary=…</c>.</summary>
    /// <param name="partType">The parts' media type (the <c>type</c> parameter).</param>
    /// <param name="transferSyntax">A <c>transfer-syntax</c> parameter to state, if any.</param>
    public string ContentType(string partType, string? transferSyntax = null) =>
        $"multipart/related; type=\"{partType}\"; boundary={Boundary}" + (transferSyntax is null ? string.Empty : $"; transfer-syntax={transferSyntax}");

    /// <summary>Writes one part with the content of <paramref name="content"/> (read to its end, not disposed).</summary>
    /// <param name="contentType">The part's <c>Content-Type</c>.</param>
    /// <param name="content">The part's bytes.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <param name="headers">Further part headers (e.g. <c>Content-Location</c>); names and values must be plain ASCII.</param>
    public async Task WritePartAsync(string contentType, Stream content, CancellationToken cancellationToken, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        await WritePartAsync(contentType, (s, ct) => content.CopyToAsync(s, CopyBufferSize, ct), cancellationToken, headers).ConfigureAwait(false);
    }

    /// <summary>Writes one part whose body <paramref name="writeBody"/> writes to the stream it is given.</summary>
    public async Task WritePartAsync(string contentType, Func<Stream, CancellationToken, Task> writeBody, CancellationToken cancellationToken, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        ArgumentNullException.ThrowIfNull(writeBody);
        ObjectDisposedException.ThrowIf(_completed, this);
        var head = new StringBuilder();
        head.Append("--").Append(Boundary).Append("\r\n");
        head.Append("Content-Type: ").Append(Header(contentType)).Append("\r\n");
        foreach (var (name, value) in headers ?? [])
        {
            head.Append(Header(name)).Append(": ").Append(Header(value)).Append("\r\n");
        }

        head.Append("\r\n");
        await _output.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        await writeBody(_output, cancellationToken).ConfigureAwait(false);
        await _output.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        PartCount++;
    }

    /// <summary>Writes the closing delimiter and flushes. No part may follow.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        await _output.WriteAsync(Encoding.ASCII.GetBytes("--" + Boundary + "--\r\n"), cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    // Header text is ours (media types, URLs of de-identified UIDs); a line break would end the header block early.
    private static string Header(string text) =>
        text.Any(c => c is '\r' or '\n' || c > 0x7E) ? throw new ArgumentException("Part headers are single-line ASCII.", nameof(text)) : text;
}
