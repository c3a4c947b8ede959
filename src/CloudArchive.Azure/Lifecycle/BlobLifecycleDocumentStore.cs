using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Lifecycle;

namespace CloudArchive.Azure.Lifecycle;

/// <summary><see cref="ILifecycleDocumentStore"/> over the <c>control</c> container (<c>holds/</c>, <c>erasures/</c>).</summary>
public sealed class BlobLifecycleDocumentStore : ILifecycleDocumentStore
{
    private const int MaxDocumentBytes = 1 << 20;
    private readonly BlobContainerClient _control;

    /// <summary>Creates the store.</summary>
    public BlobLifecycleDocumentStore(BlobContainerClient control) => _control = control ?? throw new ArgumentNullException(nameof(control));

    /// <inheritdoc />
    public async Task<LifecycleDocument?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var document = await SmallBlobDocument.ReadAsync(
            _control.GetBlobClient(Require(name)),
            MaxDocumentBytes,
            () => new LifecycleException(LifecycleFailureReason.CorruptDocument, $"Lifecycle document {name} is larger than any can be."),
            cancellationToken).ConfigureAwait(false);
        return document is { } d ? new LifecycleDocument(d.Content, d.ETag) : null;
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        await SmallBlobDocument.TryWriteAsync(_control.GetBlockBlobClient(Require(name)), content.ToArray(), etag: null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<bool> TryReplaceAsync(string name, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return await SmallBlobDocument.TryWriteAsync(_control.GetBlockBlobClient(Require(name)), content.ToArray(), etag, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in StorageListing.ListAsync(_control, Require(prefix), BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            yield return item.Name;
        }
    }

    // Only the lifecycle's own folders: a caller cannot reach agreements or consents through this store.
    private static string Require(string name) =>
        name is not null && (name.StartsWith("holds/", StringComparison.Ordinal) || name.StartsWith("erasures/", StringComparison.Ordinal)) && !name.Contains("..", StringComparison.Ordinal)
            ? name
            : throw new ArgumentException("Not a lifecycle document name.", nameof(name));
}
