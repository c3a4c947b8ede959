using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Azure.Research;

/// <summary>
/// <see cref="IAgreementStore"/> over the <c>control</c> container: <c>agreements/{id}.json</c>. Creation is
/// create-only (<c>If-None-Match: *</c>), replacement conditional on the ETag (<c>If-Match</c>), and every document is
/// validated on the way in and on the way out.
/// </summary>
public sealed class BlobAgreementStore : IAgreementStore
{
    /// <summary>Largest agreement document read (embedded profiles included).</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly BlobContainerClient _container;

    /// <summary>Creates the store over the <c>control</c> container.</summary>
    public BlobAgreementStore(BlobContainerClient controlContainer) => _container = controlContainer ?? throw new ArgumentNullException(nameof(controlContainer));

    /// <inheritdoc />
    /// <remarks>An id that is not a well-formed agreement id names no agreement: the answer is null.</remarks>
    public async Task<StoredAgreement?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!DataSharingAgreement.IsValidId(id))
        {
            return null;
        }

        return await ReadAsync(AgreementNames.For(id), id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredAgreement> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var names = new List<(string Name, string Id)>();
        await foreach (var item in StorageListing.ListAsync(_container, AgreementNames.Prefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            if (AgreementNames.IdOf(item.Name) is { } id)
            {
                names.Add((item.Name, id));
            }
        }

        foreach (var (name, id) in names.OrderBy(n => n.Id, StringComparer.Ordinal))
        {
            // A blob deleted between listing and reading is simply no longer there.
            if (await ReadAsync(name, id, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                yield return stored;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="AgreementFormatException">The agreement is invalid (nothing is written).</exception>
    public async Task<bool> TryCreateAsync(DataSharingAgreement agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        AgreementValidator.Validate(agreement);
        try
        {
            await UploadAsync(agreement, WriteConditions.CreateOnly(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
        {
            return false;
        }
    }

    /// <inheritdoc />
    /// <exception cref="AgreementFormatException">The agreement is invalid (nothing is written).</exception>
    public async Task<bool> TryReplaceAsync(DataSharingAgreement agreement, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        AgreementValidator.Validate(agreement);
        try
        {
            await UploadAsync(agreement, new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsPreconditionFailed || ex.IsNotFound || ex.IsConflict)
        {
            return false;
        }
    }

    private async Task<StoredAgreement?> ReadAsync(string name, string id, CancellationToken cancellationToken)
    {
        var document = await SmallBlobDocument.ReadAsync(
            _container.GetBlobClient(name),
            MaxDocumentBytes,
            () => new AgreementFormatException("$", "the stored document is larger than an agreement can be"),
            cancellationToken).ConfigureAwait(false);
        if (document is not { } d)
        {
            return null;
        }

        var agreement = AgreementJson.Parse(d.Content);
        if (agreement.Id != id)
        {
            // A document copied under another name must not be applied under that name's authority.
            throw new AgreementFormatException("$.id", "does not match the blob name it is stored under");
        }

        return new StoredAgreement(agreement, d.ETag);
    }

    private async Task UploadAsync(DataSharingAgreement agreement, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(AgreementJson.Serialize(agreement), writable: false);
        await BlockUpload.PutAsync(
            _container.GetBlockBlobClient(AgreementNames.For(agreement.Id)),
            stream,
            new BlockUploadOptions { ContentType = "application/json", Conditions = conditions },
            cancellationToken).ConfigureAwait(false);
    }
}
