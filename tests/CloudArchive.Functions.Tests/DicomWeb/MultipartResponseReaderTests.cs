using CloudArchive.Cli.Commands.Research;
using CloudArchive.Functions.DicomWeb.Http;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb;

/// <summary><c>research fetch</c>'s multipart reader against the server's multipart writer, and on broken bodies.</summary>
public sealed class MultipartResponseReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<byte[]> WriteAsync(string boundary, params byte[][] parts)
    {
        using var output = new MemoryStream();
        var writer = new MultipartRelatedWriter(output, boundary);
        foreach (var p in parts)
        {
            await writer.WritePartAsync("application/dicom", new MemoryStream(p), Ct, [KeyValuePair.Create("Content-Location", "/x")]);
        }

        await writer.CompleteAsync(Ct);
        return output.ToArray();
    }

    private static async Task<List<byte[]>> ReadAsync(Stream body, string boundary)
    {
        var reader = new MultipartResponseReader(body, boundary);
        var parts = new List<byte[]>();
        while (await reader.ReadPartAsync(Ct) is { } part)
        {
            Assert.Equal("application/dicom", part.Headers["content-type"]);
            using var copy = new MemoryStream();
            await part.Body.CopyToAsync(copy, Ct);
            parts.Add(copy.ToArray());
        }

        return parts;
    }

    [Fact]
    public async Task Parts_round_trip_whatever_their_bytes_and_however_the_body_is_chunked()
    {
        var tricky = "\r\n--b0un\r\n--b0unX"u8.ToArray();
        var big = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31)).ToArray();
        var body = await WriteAsync("b0und", tricky, [], big);

        Assert.Equal([tricky, [], big], await ReadAsync(new TrickleStream(body, 7), "b0und"));
        Assert.Equal([tricky, [], big], await ReadAsync(new MemoryStream(body), "b0und"));
        Assert.Equal("b0und", MultipartResponseReader.Boundary("multipart/related; type=\"application/dicom\"; boundary=\"b0und\""));
    }

    [Fact]
    public async Task A_body_cut_short_or_without_its_boundary_is_an_IOException()
    {
        var body = await WriteAsync("b0und", new byte[1000]);
        await Assert.ThrowsAsync<IOException>(() => ReadAsync(new MemoryStream(body[..600]), "b0und"));
        await Assert.ThrowsAsync<IOException>(() => ReadAsync(new MemoryStream(body[..(body.Length - 4)]), "b0und"));
        await Assert.ThrowsAsync<IOException>(() => ReadAsync(new MemoryStream("not multipart at all"u8.ToArray()), "b0und"));
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
