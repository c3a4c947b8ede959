using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Lifecycle.Fixity;

namespace CloudArchive.Azure.Lifecycle;

/// <summary>
/// <see cref="IFixityStore"/> over the <c>control</c> container: <c>fixity/state.json</c> (the cursor, replaced with
/// If-Match), <c>fixity/cycles/{cycle}/{bucket}-{prefix}.json</c> (each bucket's results) and
/// <c>fixity/findings/{archive blob name}.json</c> (open findings).
/// </summary>
public sealed class BlobFixityStore : IFixityStore
{
    /// <summary>The cursor's blob name.</summary>
    public const string StateName = "fixity/state.json";

    /// <summary>The prefix of the open findings.</summary>
    public const string FindingsPrefix = "fixity/findings/";

    private const int MaxDocumentBytes = 64 << 20;
    private readonly BlobContainerClient _control;

    /// <summary>Creates the store.</summary>
    public BlobFixityStore(BlobContainerClient control) => _control = control ?? throw new ArgumentNullException(nameof(control));

    /// <summary>The blob name of a bucket's results.</summary>
    public static string BucketName(int cycle, int bucket) =>
        string.Create(CultureInfo.InvariantCulture, $"fixity/cycles/{cycle:D6}/{bucket:D4}-{FixityKeySpace.Prefix(bucket)}.json");

    /// <summary>The blob name of an archive blob's finding.</summary>
    public static string FindingName(string archiveBlobName) => FindingsPrefix + archiveBlobName + ".json";

    /// <inheritdoc />
    public async Task<(FixityState State, string ETag)?> GetStateAsync(CancellationToken cancellationToken)
    {
        var document = await ReadAsync(StateName, cancellationToken).ConfigureAwait(false);
        return document is { } d ? (FixityJson.ParseState(d.Content, StateName), d.ETag) : null;
    }

    /// <inheritdoc />
    public async Task<string?> TrySaveStateAsync(FixityState state, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var conditions = etag is null ? WriteConditions.CreateOnly() : new BlobRequestConditions { IfMatch = new ETag(etag) };
        try
        {
            var response = await StorageCall.RunAsync("PutBlob", () => _control.GetBlobClient(StateName).UploadAsync(
                BinaryData.FromBytes(FixityJson.State(state)),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken)).ConfigureAwait(false);
            return response.Value.ETag.ToString();
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task WriteBucketAsync(FixityBucketRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return PutAsync(BucketName(record.Cycle, record.Bucket), FixityJson.Bucket(record), null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<FixityBucketRecord?> GetBucketAsync(int cycle, int bucket, CancellationToken cancellationToken)
    {
        var name = BucketName(cycle, bucket);
        var document = await ReadAsync(name, cancellationToken).ConfigureAwait(false);
        return document is { } d ? FixityJson.ParseBucket(d.Content, name) : null;
    }

    /// <inheritdoc />
    public async Task<bool> TryAddFindingAsync(FixityFinding finding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finding);
        try
        {
            await PutAsync(FindingName(finding.BlobName), FixityJson.Finding(finding), WriteConditions.CreateOnly(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<bool> RemoveFindingAsync(string blobName, CancellationToken cancellationToken) =>
        (await StorageCall.RunAsync("DeleteBlob", () => _control.GetBlobClient(FindingName(blobName)).DeleteIfExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false)).Value;

    /// <inheritdoc />
    public async IAsyncEnumerable<FixityFinding> ListFindingsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in StorageListing.ListAsync(_control, FindingsPrefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            if (await ReadAsync(item.Name, cancellationToken).ConfigureAwait(false) is { } document)
            {
                yield return FixityJson.ParseFinding(document.Content, item.Name);
            }
        }
    }

    private Task<(byte[] Content, string ETag)?> ReadAsync(string name, CancellationToken cancellationToken) =>
        SmallBlobDocument.ReadAsync(_control.GetBlobClient(name), MaxDocumentBytes, () => new InvalidDataException($"Fixity document {name} is larger than any fixity document can be."), cancellationToken);

    private async Task PutAsync(string name, byte[] content, BlobRequestConditions? conditions, CancellationToken cancellationToken) =>
        await StorageCall.RunAsync("PutBlob", () => _control.GetBlobClient(name).UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken)).ConfigureAwait(false);
}
