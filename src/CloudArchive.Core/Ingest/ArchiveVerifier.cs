using System.Security.Cryptography;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// Proves that what the ingest committed is what it read (docs/ingest.md, "Verification"): from the write's receipt
/// for a one-region instance, from the first and last region for a larger one, and end to end for a resumed ingest.
/// Each check returns the problem found, or null when the archived copy reads back as valid; decryption failures are
/// problems, not errors.
/// </summary>
/// <param name="archive">The <c>archive</c> container.</param>
/// <param name="keyring">Study keys (through its resolver, the reader's own path).</param>
/// <param name="contentMac">The keyed content MAC the plaintext was MACed with while encrypting.</param>
internal sealed class ArchiveVerifier(IArchiveStore archive, Keyring keyring, ContentMac contentMac)
{
    /// <summary>Whether a blob's metadata entry has exactly the expected value.</summary>
    public static bool Matches(ArchiveBlobInfo info, string metadataName, string expected) =>
        info.Metadata.TryGetValue(metadataName, out var value) && string.Equals(value, expected, StringComparison.Ordinal);

    /// <summary>
    /// Verifies a blob written in one request without reading it back: the service's MD5 of the committed content must
    /// equal the MD5 of the bytes sent (so what is stored is what was sent, with the metadata of that same request), and
    /// those bytes must decrypt under the study key, through the reader's own path, to the plaintext that was read
    /// (GCM tag, nonce layout, length, MAC). Returns <see cref="ReceiptCheck.Verified"/> or the problem found.
    /// </summary>
    public async Task<ReceiptCheck> CheckAgainstReceiptAsync(string archiveName, ArraySegment<byte> sent, string committedMd5, IReadOnlyDictionary<string, string> metadataSent, WrittenArchive written, CancellationToken cancellationToken)
    {
#pragma warning disable CA5351 // The storage service's own integrity checksum, compared for equality; not a security hash.
        var sentMd5 = Convert.ToBase64String(MD5.HashData(sent));
#pragma warning restore CA5351
        if (!string.Equals(sentMd5, committedMd5, StringComparison.Ordinal))
        {
            return new ReceiptCheck("committed content hash differs from the bytes sent");
        }

        if (sent.Count != CseFormat.CiphertextLength(written.PlainLength, written.RegionLength))
        {
            return new ReceiptCheck("committed length differs");
        }

        var cipher = new MemoryStream(sent.Array!, sent.Offset, sent.Count, writable: false);
        var problem = await DecryptsToAsync(decryptor => decryptor.OpenReadAsync(cipher, metadataSent, archiveName, sent.Count, cancellationToken: cancellationToken), written.PlainLength, written.PlainMac, cancellationToken).ConfigureAwait(false);
        return problem is null ? ReceiptCheck.Verified : new ReceiptCheck(problem);
    }

    /// <summary>
    /// Verifies a blob this process has just committed without downloading it again (docs/ingest.md, "Verification"):
    /// every block was sent with a transactional MD5 the service checked, so what remains to prove is that the committed
    /// blob is the one written (length, <c>encryptiondata</c> with its unique wrapped key, MACs) and that it decrypts
    /// under the study key to the plaintext that was read: region 0 and the last region are fetched with the metadata
    /// (one ranged read each, one in all for a single-region instance), decrypted (GCM tags, nonces, region layout) and
    /// MACed against the MACs taken while encrypting.
    /// </summary>
    public async Task<string?> VerifyWrittenAsync(string archiveName, WrittenArchive written, CancellationToken cancellationToken)
    {
        if (written.ReceiptCheck is { } receipt)
        {
            // Checked against the service's hash of the committed content when it was written (one request, one region).
            return receipt.Problem;
        }

        var problem = await VerifyRegionAsync(archiveName, written, 0, written.FirstRegionMac, cancellationToken).ConfigureAwait(false);
        if (problem is null && written.RegionCount > 1)
        {
            problem = await VerifyRegionAsync(archiveName, written, written.RegionCount - 1, written.LastRegionMac, cancellationToken).ConfigureAwait(false);
        }

        return problem;
    }

    private async Task<string?> VerifyRegionAsync(string archiveName, WrittenArchive written, long region, string expectedMac, CancellationToken cancellationToken)
    {
        long cipherLength = CseFormat.CiphertextLength(written.PlainLength, written.RegionLength);
        long regionCipher = (long)written.RegionLength + CseFormat.RegionOverhead;
        long cipherStart = region * regionCipher;
        long cipherCount = Math.Min(regionCipher, cipherLength - cipherStart);
        var read = await archive.OpenRangeAsync(archiveName, cipherStart, cipherCount, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return "blob missing after commit";
        }

        await using (read.ConfigureAwait(false))
        {
            var info = read.Info;
            if (info.Length != cipherLength)
            {
                return "committed length differs";
            }

            if (!Matches(info, CseFormat.EncryptionDataMetadataName, written.EncryptionDataJson))
            {
                return "encryption metadata differs";
            }

            if (!Matches(info, ArchiveMetadata.PlainMac, written.PlainMac) || !Matches(info, ArchiveMetadata.UploadMac, written.UploadMac))
            {
                return "content MAC metadata differs";
            }

            long plainStart = region * written.RegionLength;
            long plainCount = Math.Min(written.RegionLength, written.PlainLength - plainStart);
            return await DecryptsToAsync(
                decryptor => decryptor.OpenRangeAsync(
                    (offset, count, _) => offset == cipherStart && count == cipherCount
                        ? Task.FromResult(read.Content)
                        : throw new InvalidOperationException("Unexpected ciphertext range."),
                    info.Length,
                    info.Metadata,
                    archiveName,
                    plainStart,
                    plainCount,
                    cancellationToken),
                plainCount,
                expectedMac,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Decrypts a committed blob end to end and compares length and MAC with the expected plaintext (resumed ingests).</summary>
    public async Task<string?> VerifyWholeAsync(string archiveName, string plainMac, long plainLength, CancellationToken cancellationToken)
    {
        var info = await archive.GetInfoAsync(archiveName, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return "blob missing after commit";
        }

        if (!Matches(info, ArchiveMetadata.PlainMac, plainMac))
        {
            return "content MAC metadata differs";
        }

        var cipher = await archive.OpenReadAsync(archiveName, cancellationToken).ConfigureAwait(false);
        await using (cipher.ConfigureAwait(false))
        {
            return await DecryptsToAsync(decryptor => decryptor.OpenReadAsync(cipher, info.Metadata, archiveName, info.Length, leaveOpen: true, cancellationToken: cancellationToken), plainLength, plainMac, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Decrypts through the reader's own path and compares the plaintext's length and keyed MAC with what was read while
    /// encrypting. Returns the problem found, or null when they match; a decryption failure is a problem, not an error.
    /// </summary>
    private async Task<string?> DecryptsToAsync(Func<EnvelopeDecryptor, Task<DecryptingStream>> open, long expectedLength, string expectedMac, CancellationToken cancellationToken)
    {
        try
        {
            var decrypted = await open(new EnvelopeDecryptor(keyring.StudyKeyResolver)).ConfigureAwait(false);
            await using (decrypted.ConfigureAwait(false))
            {
                var (mac, length) = await contentMac.ComputeAsync(decrypted, cancellationToken).ConfigureAwait(false);
                if (length != expectedLength)
                {
                    return "decrypted length differs";
                }

                return string.Equals(mac, expectedMac, StringComparison.Ordinal) ? null : "decrypted content differs";
            }
        }
        catch (EnvelopeDecryptionException ex)
        {
            return "decryption failed: " + ex.Reason;
        }
    }
}
