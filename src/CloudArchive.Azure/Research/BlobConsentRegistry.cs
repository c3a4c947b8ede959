using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Research.Consent;

namespace CloudArchive.Azure.Research;

/// <summary>
/// <see cref="IConsentRegistry"/> over the <c>control</c> container: <c>consents/{patientPseudonym}.json</c>, one
/// current record per patient (earlier versions kept by blob versioning where enabled). Records are validated when
/// written and when read; blob names only ever carry the pseudonym.
/// </summary>
public sealed class BlobConsentRegistry : IConsentRegistry
{
    /// <summary>Largest consent document read.</summary>
    public const int MaxDocumentBytes = 256 * 1024;

    private readonly BlobContainerClient _container;

    /// <summary>Creates the registry over the <c>control</c> container.</summary>
    public BlobConsentRegistry(BlobContainerClient controlContainer) => _container = controlContainer ?? throw new ArgumentNullException(nameof(controlContainer));

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The value is not a pseudonym.</exception>
    /// <exception cref="ConsentFormatException">The stored record is malformed.</exception>
    public async Task<ConsentRecord?> GetAsync(string patientPseudonym, CancellationToken cancellationToken) =>
        await ReadAsync(ConsentNames.For(patientPseudonym), patientPseudonym, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <exception cref="ConsentFormatException">The record is invalid (nothing is written).</exception>
    public async Task PutAsync(ConsentRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ConsentValidator.Validate(record);
        using var stream = new MemoryStream(ConsentJson.Serialize(record), writable: false);
        await BlockUpload.PutAsync(_container.GetBlockBlobClient(ConsentNames.For(record.PatientPseudonym)), stream, new BlockUploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ConsentFormatException">A stored record is malformed.</exception>
    public async IAsyncEnumerable<ConsentRecord> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in StorageListing.ListAsync(_container, ConsentNames.Prefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            var pseudonym = !item.Name.EndsWith(".json", StringComparison.Ordinal)
                ? null
                : item.Name[ConsentNames.Prefix.Length..^".json".Length];
            if (pseudonym is not null && ConsentNames.IsPseudonym(pseudonym)
                && await ReadAsync(item.Name, pseudonym, cancellationToken).ConfigureAwait(false) is { } record)
            {
                yield return record;
            }
        }
    }

    private async Task<ConsentRecord?> ReadAsync(string name, string pseudonym, CancellationToken cancellationToken)
    {
        var document = await SmallBlobDocument.ReadAsync(
            _container.GetBlobClient(name),
            MaxDocumentBytes,
            () => new ConsentFormatException("$", "the stored document is larger than a consent record can be"),
            cancellationToken).ConfigureAwait(false);
        if (document is not { } d)
        {
            return null;
        }

        var record = ConsentJson.Parse(d.Content);
        if (record.PatientPseudonym != pseudonym)
        {
            // Applying a record stored under another patient's name would release (or withhold) the wrong patient.
            throw new ConsentFormatException("$.patientPseudonym", "does not match the blob name it is stored under");
        }

        return record;
    }
}
