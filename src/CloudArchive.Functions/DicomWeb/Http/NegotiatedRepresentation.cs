namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>The outcome of <c>Accept</c> negotiation.</summary>
/// <param name="Representation">The representation chosen.</param>
/// <param name="TransferSyntax">The transfer syntax the client asked for, or null for "as stored" (<c>*</c>, or a range that names none).</param>
public sealed record NegotiatedRepresentation(DicomWebRepresentation Representation, string? TransferSyntax);
