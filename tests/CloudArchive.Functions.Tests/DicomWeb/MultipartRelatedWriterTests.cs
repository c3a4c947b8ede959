using System.Text;
using CloudArchive.Functions.DicomWeb.Http;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb;

public sealed class MultipartRelatedWriterTests
{
    [Fact]
    public async Task Parts_are_framed_by_the_boundary_with_their_headers_and_exact_bytes()
    {
        using var output = new MemoryStream();
        var writer = new MultipartRelatedWriter(output, "b0und");
        var first = new byte[] { 0x2D, 0x2D, 0x0D, 0x0A, 0x00, 0xFF };
        await writer.WritePartAsync("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", new MemoryStream(first), TestContext.Current.CancellationToken, [KeyValuePair.Create("Content-Location", "/x/1")]);
        await writer.WritePartAsync("application/octet-stream", (s, ct) => s.WriteAsync("two"u8.ToArray(), ct).AsTask(), TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);

        var expected = Encoding.Latin1.GetBytes("--b0und\r\nContent-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.1\r\nContent-Location: /x/1\r\n\r\n")
            .Concat(first).Concat("\r\n--b0und\r\nContent-Type: application/octet-stream\r\n\r\ntwo\r\n--b0und--\r\n"u8.ToArray()).ToArray();
        Assert.Equal(expected, output.ToArray());
        Assert.Equal(2, writer.PartCount);
        Assert.Equal("multipart/related; type=\"application/dicom\"; boundary=b0und; transfer-syntax=*", writer.ContentType("application/dicom", "*"));
    }

    [Fact]
    public async Task No_part_follows_the_close_and_header_injection_is_refused()
    {
        var writer = new MultipartRelatedWriter(new MemoryStream());
        Assert.StartsWith("CloudArchive-", writer.Boundary, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WritePartAsync("text/plain\r\nX-Evil: 1", new MemoryStream(), TestContext.Current.CancellationToken));
        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WritePartAsync("text/plain", new MemoryStream(), TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => new MultipartRelatedWriter(new MemoryStream(), "a\"b"));
    }
}
