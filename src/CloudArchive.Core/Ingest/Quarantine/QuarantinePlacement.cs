namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>What <see cref="IQuarantineStore.PlaceAsync"/> writes: the encrypted copy with its metadata and tags, and the reason document.</summary>
/// <param name="Id">The quarantine id (<see cref="QuarantineNames"/>).</param>
/// <param name="Ciphertext">The copy in the envelope format, read forward once.</param>
/// <param name="Metadata">The copy's metadata (<c>encryptiondata</c>, <c>ca_plainlength</c>, <c>ca_envelopemac</c>, ...).</param>
/// <param name="Tags">Index tags for the copy and the reason document.</param>
/// <param name="ReasonJson">The reason document (UTF-8 JSON, no patient data, no upload name).</param>
public sealed record QuarantinePlacement(
    string Id,
    Stream Ciphertext,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> Tags,
    ReadOnlyMemory<byte> ReasonJson);
