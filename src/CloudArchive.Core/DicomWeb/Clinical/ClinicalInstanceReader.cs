using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// Reads original instances for clinical WADO-RS, decrypting region by region: a whole instance as one sequential
/// stream, or a plaintext byte range through one ranged read of only the regions that cover it (frames, bulk data).
/// Memory per open stream is one encryption region. A shredded study fails with
/// <see cref="EnvelopeDecryptionException"/> (<see cref="EnvelopeFailureReason.KeyDestroyed"/>).
/// </summary>
public sealed class ClinicalInstanceReader
{
    private readonly IArchiveStore _store;
    private readonly EnvelopeDecryptor _decryptor;

    /// <summary>Creates the reader.</summary>
    public ClinicalInstanceReader(IArchiveStore store, Keyring keyring)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentNullException.ThrowIfNull(keyring);
        _decryptor = new EnvelopeDecryptor(keyring.StudyKeyResolver);
    }

    /// <summary>Looks an instance up (length and metadata, no content), or returns null when it is not archived.</summary>
    public async Task<ArchivedInstance?> GetAsync(string studyKey, string instanceKey, CancellationToken cancellationToken)
    {
        var name = ArchiveNames.Instance(studyKey, instanceKey);
        var info = await _store.GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return null;
        }

        var (_, plainLength) = _decryptor.ReadMetadata(info.Metadata);
        return new ArchivedInstance(name, info, plainLength ?? throw new EnvelopeDecryptionException(EnvelopeFailureReason.MissingMetadata, "The archive blob has no plaintext length."));
    }

    /// <summary>Opens the whole decrypted instance (the stored Part 10 file) as a sequential stream.</summary>
    public async Task<Stream> OpenAsync(ArchivedInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var read = await _store.OpenReadWithInfoAsync(instance.BlobName, cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException("The archive blob disappeared while it was being read.");
        try
        {
            return await _decryptor.OpenReadAsync(read.Content, read.Info.Metadata, instance.BlobName, read.Info.Length, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await read.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens plaintext bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) with one ranged read.</summary>
    public Task<Stream> OpenRangeAsync(ArchivedInstance instance, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return OpenRangeCoreAsync(instance, offset, length, cancellationToken);
    }

    /// <summary>
    /// A seekable view of the decrypted instance for parsing its header: each read fetches (and keeps) the one region it
    /// falls into, so a parser that skips bulk values reads only the regions holding element headers.
    /// </summary>
    public Stream OpenSeekable(ArchivedInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new DecryptedRegionStream(this, instance);
    }

    /// <summary>The plaintext bytes per encryption region of an instance.</summary>
    internal int RegionLength(ArchivedInstance instance) => _decryptor.ReadMetadata(instance.Info.Metadata).Data.RegionLength;

    private async Task<Stream> OpenRangeCoreAsync(ArchivedInstance instance, long offset, long length, CancellationToken cancellationToken)
    {
        return await _decryptor.OpenRangeAsync(
            async (cipherOffset, cipherLength, ct) =>
            {
                var read = await _store.OpenRangeAsync(instance.BlobName, cipherOffset, cipherLength, ct).ConfigureAwait(false)
                    ?? throw new FileNotFoundException("The archive blob disappeared while it was being read.");
                return read.Content;
            },
            instance.Info.Length,
            instance.Info.Metadata,
            instance.BlobName,
            offset,
            length,
            cancellationToken).ConfigureAwait(false);
    }
}
