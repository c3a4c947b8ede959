using Azure.Core.Cryptography;
using CloudArchive.Core.Crypto;

namespace CloudArchive.Core.Tests.Crypto;

/// <summary>Round-trip helpers over our encryptor/decryptor.</summary>
internal static class Cse
{
    /// <summary>The name test blobs are bound to (ca_envelopemac) unless a test says otherwise.</summary>
    public const string BlobName = "studies/teststudy/testinstance.dcm.enc";

    public static async Task<(byte[] Blob, IReadOnlyDictionary<string, string> Metadata)> EncryptAsync(byte[] plaintext, IKeyEncryptionKey key, int regionLength, bool seekableSource = true, string blobName = BlobName)
    {
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptionOptions { RegionLength = regionLength });
        Stream source = seekableSource ? new MemoryStream(plaintext) : new NonSeekableStream(new MemoryStream(plaintext));
        await using var enc = await encryptor.EncryptAsync(source, key, cancellationToken: Xunit.TestContext.Current.CancellationToken);
        var output = new MemoryStream();
        await enc.CopyToAsync(output, Xunit.TestContext.Current.CancellationToken);
        return (output.ToArray(), enc.GetMetadata(blobName));
    }

    public static async Task<byte[]> DecryptAsync(byte[] blob, IReadOnlyDictionary<string, string> metadata, IKeyEncryptionKeyResolver resolver, bool passLength = true, EnvelopeDecryptionOptions? options = null, string blobName = BlobName)
    {
        var decryptor = new EnvelopeDecryptor(resolver, options);
        await using var dec = await decryptor.OpenReadAsync(new NonSeekableStream(new MemoryStream(blob)), metadata, blobName, passLength ? blob.Length : null, cancellationToken: Xunit.TestContext.Current.CancellationToken);
        var output = new MemoryStream();
        await dec.CopyToAsync(output, Xunit.TestContext.Current.CancellationToken);
        return output.ToArray();
    }
}
