namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>
/// A representation a DICOMweb resource can be sent in: a single-part media type (<c>application/dicom+json</c>), or
/// <c>multipart/related</c> with the media type of its parts (<see cref="PartType"/>).
/// </summary>
/// <param name="MediaType">The response's media type (lower case).</param>
/// <param name="PartType">For <c>multipart/related</c>, the parts' media type (the <c>type</c> parameter).</param>
/// <param name="DefaultTransferSyntax">
/// The transfer syntax PS3.18 8.7.3 implies when a client names this representation without a <c>transfer-syntax</c>
/// parameter (Explicit VR Little Endian for <c>application/dicom</c> and <c>application/octet-stream</c>; the stored
/// syntax for an encapsulated type such as <c>image/jpeg</c>); null where transfer syntaxes do not apply.
/// </param>
public sealed record DicomWebRepresentation(string MediaType, string? PartType = null, string? DefaultTransferSyntax = null)
{
    /// <summary>Explicit VR Little Endian, the PS3.18 default for application/dicom and application/octet-stream.</summary>
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary><c>application/dicom+json</c>.</summary>
    public static DicomWebRepresentation DicomJson { get; } = new("application/dicom+json");

    /// <summary><c>multipart/related; type="application/dicom"</c>.</summary>
    public static DicomWebRepresentation MultipartDicom { get; } = new("multipart/related", "application/dicom", ExplicitVRLittleEndian);

    /// <summary><c>multipart/related; type="application/octet-stream"</c> (frames and bulk data).</summary>
    public static DicomWebRepresentation MultipartOctetStream { get; } = new("multipart/related", "application/octet-stream", ExplicitVRLittleEndian);

    /// <summary>Single-part <c>application/octet-stream</c>.</summary>
    public static DicomWebRepresentation OctetStream { get; } = new("application/octet-stream", null, ExplicitVRLittleEndian);
}
