using Xunit;
using System.Security.Cryptography;
using System.Text;
using CloudArchive.Azure.Storage.Blobs;

namespace CloudArchive.Azure.Tests.Storage.Support;

internal static class TestData
{
    public static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    public static async Task<string> DownloadTextAsync(BlobClient blob, BlobRange? range = null)
    {
        await using var download = await blob.DownloadAsync(range, cancellationToken: TestContext.Current.CancellationToken);
        using var reader = new StreamReader(download.Content, Encoding.UTF8);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<byte[]> DownloadBytesAsync(BlobClient blob, BlobRange? range = null)
    {
        await using var download = await blob.DownloadAsync(range, cancellationToken: TestContext.Current.CancellationToken);
        using var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }

    public static async Task<byte[]> Sha256Async(Stream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return hash.GetHashAndReset();
    }
}
