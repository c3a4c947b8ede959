using System.Globalization;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// The ingest's archive write: the plaintext is read once, forward, while it is MACed (<see cref="PlaintextTap"/>),
/// encrypted under the study key and written create-only with its index tags; its MACs travel as trailing metadata
/// committed with it.
/// </summary>
/// <param name="archive">The <c>archive</c> container.</param>
/// <param name="keyring">Study keys (for the receipt check's decryption).</param>
/// <param name="encryption">The envelope's region length.</param>
/// <param name="encryptor">The envelope encryptor.</param>
internal sealed class IngestArchiveWriter(IArchiveStore archive, Keyring keyring, EnvelopeEncryptionOptions encryption, EnvelopeEncryptor encryptor)
{
    /// <summary>
    /// Encrypts the plaintext in one streaming read and writes it create-only. The plaintext MAC (and, when nothing was
    /// removed, the upload MAC) is computed by the same read and stored with the commit. Returns null on 409/412.
    /// A single-region instance's ciphertext is kept as it is sent, so that it can be checked against the service's hash
    /// of the committed content and decrypted here (<see cref="ArchiveVerifier.CheckAgainstReceiptAsync"/>) instead of being read back.
    /// </summary>
    public async Task<WrittenArchive?> WriteAsync(IngestContext context, IngestPlaintext plain, string archiveName, SymmetricKeyEncryptionKey studyKek, Dictionary<string, string> tags, IReadOnlyDictionary<string, string>? sealedIndex, CancellationToken cancellationToken)
    {
        var source = await plain.OpenAsync(context.Upload, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            using var tap = new PlaintextTap(source, plain.Length, encryption.RegionLength, context.Keys.Mac);
            var encrypted = await encryptor.EncryptAsync(tap, studyKek, leaveOpen: true, plainLength: plain.Length, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (encrypted.ConfigureAwait(false))
            {
                var metadata = LeadingMetadata(context, encrypted.GetMetadata(archiveName), sealedIndex);

                var capture = plain.Length <= encryption.RegionLength ? new CapturingReadStream(encrypted, encryption.RegionLength + CseFormat.RegionOverhead) : null;
                await using (capture)
                {
                    Dictionary<string, string>? trailing = null;
                    var created = await archive.TryCreateStreamingAsync(archiveName, (Stream?)capture ?? encrypted, metadata, () => trailing = TrailingMetadata(context, plain, tap), tags, cancellationToken).ConfigureAwait(false);
                    if (tap.Completed && plain.Mac is null)
                    {
                        // Nothing removed: the plaintext is the upload, so the MAC of this read is also the upload MAC.
                        context.UploadMac = tap.Mac;
                    }

                    if (!created.Created)
                    {
                        return null;
                    }

                    var written = new WrittenArchive(plain.Length, tap.RegionLength, tap.RegionCount, tap.LastRegionStart, tap.Mac, tap.FirstRegionMac, tap.LastRegionMac, encrypted.EncryptionDataJson, context.UploadMac!);
                    if (capture is not null && created.ContentMd5 is not null && trailing is not null && capture.TryGetCaptured(out var sent))
                    {
                        foreach (var (name, value) in trailing)
                        {
                            metadata[name] = value;
                        }

                        written = written with { ReceiptCheck = await new ArchiveVerifier(archive, keyring, context.Keys.Mac).CheckAgainstReceiptAsync(archiveName, sent, created.ContentMd5, metadata, written, cancellationToken).ConfigureAwait(false) };
                    }

                    return written;
                }
            }
        }
    }

    /// <summary>The metadata known before the content is read: the envelope's, the upload's length and source MAC, and a sealed index record.</summary>
    private static Dictionary<string, string> LeadingMetadata(IngestContext context, IReadOnlyDictionary<string, string> envelope, IReadOnlyDictionary<string, string>? sealedIndex)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in envelope)
        {
            metadata[name] = value;
        }

        metadata[ArchiveMetadata.UploadLength] = context.Upload.Length.ToString(CultureInfo.InvariantCulture);
        metadata[ArchiveMetadata.SourceMac] = context.SourceMac();
        foreach (var (name, value) in sealedIndex ?? new Dictionary<string, string>())
        {
            metadata[name] = value;
        }

        return metadata;
    }

    private static Dictionary<string, string> TrailingMetadata(IngestContext context, IngestPlaintext plain, PlaintextTap tap)
    {
        if (!tap.Completed)
        {
            throw new InvalidOperationException("The archive metadata was asked for before the plaintext was read to its end.");
        }

        if (plain.Mac is not null && !string.Equals(plain.Mac, tap.Mac, StringComparison.Ordinal))
        {
            throw new IOException("The minimized rewrite changed between spooling and encryption.");
        }

        var uploadMac = context.UploadMac ?? tap.Mac;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ArchiveMetadata.UploadMac] = uploadMac,
            [ArchiveMetadata.PlainMac] = tap.Mac,
        };
    }
}
