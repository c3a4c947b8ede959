namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>
/// "Place this upload in quarantine with this reason": what <see cref="QuarantineWriter.PlaceAsync"/> needs. The
/// upload's name is used only to derive the opaque id; it is never stored.
/// </summary>
public sealed record QuarantineRequest
{
    /// <summary>The upload's container (normally <c>incoming</c>).</summary>
    public required string Container { get; init; }

    /// <summary>The upload's blob name (may contain patient data: never stored or logged).</summary>
    public required string BlobName { get; init; }

    /// <summary>The upload version (ETag) whose bytes <see cref="Content"/> reads.</summary>
    public required string ETag { get; init; }

    /// <summary>The upload's bytes from their start, read forward once.</summary>
    public required Stream Content { get; init; }

    /// <summary>The upload's length in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>Why.</summary>
    public required QuarantineReason Reason { get; init; }

    /// <summary>What a person can act on; no attribute values, no upload name.</summary>
    public required string Message { get; init; }

    /// <summary>The correlation id of the invocation.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>The storage event id, if an event triggered this.</summary>
    public string? EventId { get; init; }

    /// <summary>The uploader's reference (<see cref="UploadReference"/>), if any.</summary>
    public string? UploadReference { get; init; }

    /// <summary>The opaque study key, when the upload was readable that far: the copy is then encrypted under the study key.</summary>
    public string? StudyKey { get; init; }

    /// <summary>The patient pseudonym, when known (tag <c>ca_patient</c>, for erasure).</summary>
    public string? PatientPseudonym { get; init; }

    /// <summary>The opaque instance key, when known.</summary>
    public string? InstanceKey { get; init; }

    /// <summary>The keyed MAC of the upload, when computed (kept as <c>ca_uploadmac</c>).</summary>
    public string? UploadMac { get; init; }
}
