using System.Security.Cryptography;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>
/// Decrypt-verifies one archive blob end to end through the reader's own path: every region's GCM tag and nonce, the
/// length against <c>ca_plainlength</c> (bound by <c>ca_envelopemac</c>), and the keyed MAC of the plaintext against
/// <c>ca_plainmac</c>. The plaintext is hashed as it streams and never kept.
/// </summary>
public sealed class ArchiveBlobVerifier : IDisposable
{
    private readonly IArchiveStore _archive;
    private readonly Keyring _keyring;
    private readonly LazyIngestKeys _keys;

    /// <summary>Creates the verifier.</summary>
    public ArchiveBlobVerifier(IArchiveStore archive, Keyring keyring)
    {
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _keys = new LazyIngestKeys(keyring);
    }

    /// <summary>Verifies one blob. Storage and key service failures throw (the run stops and resumes later); what the blob is found to be is returned.</summary>
    public async Task<FixityResult> VerifyAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        var read = await _archive.OpenReadWithInfoAsync(blobName, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return new FixityResult(blobName, FixityOutcome.Gone);
        }

        await using (read.ConfigureAwait(false))
        {
            if (!read.Info.Metadata.TryGetValue(ArchiveMetadata.PlainMac, out var expectedMac))
            {
                return new FixityResult(blobName, FixityOutcome.Failed, "missing-metadata");
            }

            try
            {
                var decryptor = new EnvelopeDecryptor(_keyring.StudyKeyResolver);
                var plain = await decryptor.OpenReadAsync(read.Content, read.Info.Metadata, blobName, read.Info.Length, leaveOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (plain.ConfigureAwait(false))
                {
                    var (mac, _) = await keys.Mac.ComputeAsync(plain, cancellationToken).ConfigureAwait(false);
                    return string.Equals(mac, expectedMac, StringComparison.Ordinal)
                        ? new FixityResult(blobName, FixityOutcome.Intact)
                        : new FixityResult(blobName, FixityOutcome.Failed, "content-mac-differs");
                }
            }
            catch (EnvelopeDecryptionException ex) when (ex.Reason == EnvelopeFailureReason.KeyDestroyed)
            {
                return new FixityResult(blobName, FixityOutcome.Shredded);
            }
            catch (EnvelopeDecryptionException ex)
            {
                return new FixityResult(blobName, FixityOutcome.Failed, ProblemCode(ex.Reason));
            }
            catch (CryptographicException)
            {
                return new FixityResult(blobName, FixityOutcome.Failed, "decryption-failed");
            }
        }
    }

    /// <summary>The stable problem code of a decryption failure, e.g. <c>region-out-of-order</c>.</summary>
    public static string ProblemCode(EnvelopeFailureReason reason) => reason switch
    {
        EnvelopeFailureReason.Tampered => "tampered",
        EnvelopeFailureReason.RegionOutOfOrder => "region-out-of-order",
        EnvelopeFailureReason.Truncated => "truncated",
        EnvelopeFailureReason.TrailingData => "trailing-data",
        EnvelopeFailureReason.ProtocolMismatch => "protocol-mismatch",
        EnvelopeFailureReason.MissingMetadata => "missing-metadata",
        EnvelopeFailureReason.KeyNotFound => "key-not-found",
        EnvelopeFailureReason.KeyDestroyed => "key-destroyed",
        EnvelopeFailureReason.WrongKey => "wrong-key",
        EnvelopeFailureReason.MetadataTampered => "metadata-tampered",
        _ => "decryption-failed",
    };

    /// <summary>Releases the derived keys.</summary>
    public void Dispose() => _keys.Dispose();
}
