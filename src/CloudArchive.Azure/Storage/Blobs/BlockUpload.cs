using System.Buffers;
using System.Buffers.Binary;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// A streamed block-blob write over the SDK's Put Blob, Put Block and Put Block List, for what the SDK's partitioned
/// upload cannot do: metadata computed while the content streams (<see cref="BlockUploadOptions.TrailingMetadata"/>)
/// committed atomically with it, and the service's MD5 receipt of a one-request write.
/// </summary>
/// <remarks>
/// The content is read one block ahead: when it ends within the first block it goes as one Put Blob, otherwise every
/// block is staged (at most <see cref="StorageOptions.MaxUploadConcurrency"/> in flight and in memory) and one Put Block
/// List commits them with all metadata, tags and conditions. Each body carries a transactional MD5 through the SDK's
/// <see cref="UploadTransferValidationOptions"/>. Block ids carry a per-upload random prefix, so two writers racing for
/// the same name never commit each other's blocks.
/// </remarks>
public static class BlockUpload
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="blob"/>.</summary>
    /// <exception cref="StorageRequestException">The service refused a request (e.g. 409/412 when a create-only write finds a blob).</exception>
    public static async Task<BlockUploadReceipt> UploadAsync(BlockBlobClient blob, Stream content, BlockUploadOptions options, StorageOptions storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        var validation = new UploadTransferValidationOptions { ChecksumAlgorithm = options.TransactionalMd5 ? StorageChecksumAlgorithm.MD5 : StorageChecksumAlgorithm.None };

        if (options.TrailingMetadata is null && content.CanSeek && content.Length - content.Position <= storage.SingleUploadThresholdBytes)
        {
            // Nothing to learn from reading first: send straight from the caller's stream.
            return await PutBlobAsync(blob, content, options, Metadata(options, trailing: false), validation, cancellationToken).ConfigureAwait(false);
        }

        var blockSize = (int)Math.Min(storage.BlockSizeBytes, Math.Max(1, storage.SingleUploadThresholdBytes));
        var first = ArrayPool<byte>.Shared.Rent(blockSize);
        var staged = false;
        try
        {
            var firstLength = await FillAsync(content, first, blockSize, cancellationToken).ConfigureAwait(false);
            if (firstLength < blockSize)
            {
                using var single = new MemoryStream(first, 0, firstLength, writable: false);
                return await PutBlobAsync(blob, single, options, Metadata(options, trailing: true), validation, cancellationToken).ConfigureAwait(false);
            }

            // From here the staging owns (and returns) the first buffer.
            staged = true;
            return await StageAndCommitAsync(blob, content, first, blockSize, options, storage, validation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!staged)
            {
                ArrayPool<byte>.Shared.Return(first);
            }
        }
    }

    /// <summary>
    /// Writes a small document held in memory (a control document, a keyring entry) with one Put Blob straight from
    /// <paramref name="content"/>; <see cref="BlockUploadOptions.TrailingMetadata"/> is not supported here.
    /// </summary>
    /// <exception cref="StorageRequestException">The service refused the write.</exception>
    public static Task<BlockUploadReceipt> PutAsync(BlockBlobClient blob, MemoryStream content, BlockUploadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrailingMetadata is not null)
        {
            throw new ArgumentException("A one-request write knows all its metadata up front.", nameof(options));
        }

        var validation = new UploadTransferValidationOptions { ChecksumAlgorithm = options.TransactionalMd5 ? StorageChecksumAlgorithm.MD5 : StorageChecksumAlgorithm.None };
        return PutBlobAsync(blob, content, options, Metadata(options, trailing: false), validation, cancellationToken);
    }

    private static async Task<BlockUploadReceipt> PutBlobAsync(BlockBlobClient blob, Stream body, BlockUploadOptions options, Dictionary<string, string> metadata, UploadTransferValidationOptions validation, CancellationToken cancellationToken)
    {
        var info = await StorageCall.RunAsync("PutBlob", () => blob.UploadAsync(body, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = options.ContentType },
            Metadata = metadata,
            Tags = Tags(options),
            Conditions = options.Conditions,
            TransferValidation = validation,

            // Our threshold decided that this is one request; left to the SDK, a body above its own single-upload size
            // (256 MiB) would be staged in blocks, and the receipt would then hash the block list, not the content.
            TransferOptions = new StorageTransferOptions { InitialTransferSize = long.MaxValue },
        }, cancellationToken)).ConfigureAwait(false);
        var md5 = info.Value.ContentHash;
        return new BlockUploadReceipt(md5 is { Length: > 0 } ? Convert.ToBase64String(md5) : null);
    }

    /// <summary>Stages <paramref name="first"/> (already full) and the rest of the content, then commits. Returns every rented buffer.</summary>
    private static async Task<BlockUploadReceipt> StageAndCommitAsync(BlockBlobClient blob, Stream content, byte[] first, int blockSize, BlockUploadOptions options, StorageOptions storage, UploadTransferValidationOptions validation, CancellationToken cancellationToken)
    {
        var prefix = Guid.NewGuid();
        var ids = new List<string>();
        var inFlight = new List<Task>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        byte[]? buffer = first;
        var length = blockSize;
        try
        {
            while (length > 0)
            {
                var id = BlockId(prefix, ids.Count);
                ids.Add(id);
                inFlight.Add(StageAsync(blob, id, buffer, length, validation, stop.Token));
                buffer = null; // the stage returns it to the pool
                if (inFlight.Count >= storage.MaxUploadConcurrency)
                {
                    var done = await Task.WhenAny(inFlight).ConfigureAwait(false);
                    inFlight.Remove(done);
                    await done.ConfigureAwait(false);
                }

                buffer = ArrayPool<byte>.Shared.Rent(blockSize);
                length = await FillAsync(content, buffer, blockSize, cancellationToken).ConfigureAwait(false);
            }

            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(inFlight).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The first failure is the one reported; the others were cancelled because of it.
            }

            throw;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        await StorageCall.RunAsync("PutBlockList", () => blob.CommitBlockListAsync(ids, new CommitBlockListOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = options.ContentType },
            Metadata = Metadata(options, trailing: true),
            Tags = Tags(options),
            Conditions = options.Conditions,
        }, cancellationToken)).ConfigureAwait(false);
        return new BlockUploadReceipt(null);
    }

    private static async Task StageAsync(BlockBlobClient blob, string id, byte[] buffer, int length, UploadTransferValidationOptions validation, CancellationToken cancellationToken)
    {
        try
        {
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            await StorageCall.RunAsync("PutBlock", () => blob.StageBlockAsync(id, body, new BlockBlobStageBlockOptions { TransferValidation = validation }, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> FillAsync(Stream content, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < count)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, count - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    /// <summary>Equal-length ids (the service requires it): a per-upload random prefix and the block's index.</summary>
    private static string BlockId(Guid prefix, int index)
    {
        Span<byte> raw = stackalloc byte[20];
        prefix.TryWriteBytes(raw);
        BinaryPrimitives.WriteInt32BigEndian(raw[16..], index);
        return Convert.ToBase64String(raw);
    }

    private static Dictionary<string, string> Metadata(BlockUploadOptions options, bool trailing)
    {
        var metadata = options.Metadata is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(options.Metadata, StringComparer.Ordinal);
        if (trailing && options.TrailingMetadata is not null)
        {
            foreach (var (key, value) in options.TrailingMetadata())
            {
                metadata[key] = value;
            }
        }

        return metadata;
    }

    private static Dictionary<string, string>? Tags(BlockUploadOptions options) =>
        options.Tags is null || options.Tags.Count == 0 ? null : new Dictionary<string, string>(options.Tags, StringComparer.Ordinal);
}
