using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Testing;
using Xunit;

namespace CloudArchive.Azure.Tests.Storage.Support;

internal static class TestData
{
    public static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>The bytes a <c>GeneratedStream(size, seed)</c> yields, in memory.</summary>
    public static byte[] Generated(long size, ulong seed)
    {
        var bytes = new byte[size];
        GeneratedStream.Fill(seed, 0, bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="text"/> with a plain SDK Put Blob (overwriting), for setting up a test's blobs.</summary>
    public static async Task<ETag> PutTextAsync(BlobClient blob, string text)
    {
        using var content = Utf8(text);
        var info = await blob.UploadAsync(content, overwrite: true, TestContext.Current.CancellationToken);
        return info.Value.ETag;
    }

    public static async Task<string> DownloadTextAsync(BlobBaseClient blob) =>
        Encoding.UTF8.GetString(await DownloadBytesAsync(blob));

    public static async Task<byte[]> DownloadBytesAsync(BlobBaseClient blob, HttpRange range = default)
    {
        using var download = (await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = range }, TestContext.Current.CancellationToken)).Value;
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
