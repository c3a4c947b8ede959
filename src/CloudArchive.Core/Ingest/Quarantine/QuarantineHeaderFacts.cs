namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>
/// Header facts of a quarantined upload that carry no patient data: what <c>quarantine show</c> prints after
/// decrypting the copy. UIDs appear only as opaque keys; names, ids, dates and descriptions never.
/// </summary>
public sealed record QuarantineHeaderFacts
{
    /// <summary>Plaintext length of the upload.</summary>
    public required long Length { get; init; }

    /// <summary>Whether it starts with the Part 10 preamble and <c>DICM</c>.</summary>
    public bool Part10 { get; init; }

    /// <summary>Why the header could not be read, or null when it was (a reason code style text, no values).</summary>
    public string? ReadProblem { get; init; }

    /// <summary>The File Meta Transfer Syntax UID.</summary>
    public string? TransferSyntaxUid { get; init; }

    /// <summary>The data set's SOP Class UID (a standard class, not patient data).</summary>
    public string? SopClassUid { get; init; }

    /// <summary>The File Meta's MediaStorageSOPClassUID.</summary>
    public string? MediaStorageSopClassUid { get; init; }

    /// <summary>Whether the File Meta's MediaStorageSOPInstanceUID equals the data set's SOPInstanceUID (null when either is missing).</summary>
    public bool? MetaInstanceMatches { get; init; }

    /// <summary>Modality code.</summary>
    public string? Modality { get; init; }

    /// <summary>The opaque study key of the data set's StudyInstanceUID, when it has one.</summary>
    public string? StudyKey { get; init; }

    /// <summary>The opaque instance key of the data set's SOPInstanceUID, when it has one.</summary>
    public string? InstanceKey { get; init; }
}
