using CloudArchive.Functions.DicomWeb.Http;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb;

public sealed class DicomWebNegotiationTests
{
    private const string Stored = "1.2.840.10008.1.2.4.50";
    private static readonly DicomWebRepresentation[] Retrieve = [DicomWebRepresentation.MultipartDicom];
    private static readonly DicomWebRepresentation[] Search = [DicomWebRepresentation.DicomJson];

    private static NegotiatedRepresentation? Negotiate(string? accept, DicomWebRepresentation[] offers) =>
        DicomWebNegotiation.Negotiate([accept], offers, (_, ts) => ts == Stored);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*/*")]
    [InlineData("application/dicom+json")]
    [InlineData("application/json")]
    [InlineData("application/*")]
    [InlineData("text/html, application/dicom+json;q=0.5")]
    public void Searches_answer_dicom_json(string? accept) =>
        Assert.Same(DicomWebRepresentation.DicomJson, Negotiate(accept, Search)?.Representation);

    [Theory]
    [InlineData("application/dicom+xml")]
    [InlineData("multipart/related; type=\"application/dicom+xml\"")]
    [InlineData("application/dicom+json;q=0")]
    [InlineData("text/*")]
    public void Searches_refuse_what_they_cannot_send(string accept) =>
        Assert.Null(Negotiate(accept, Search));

    [Theory]
    [InlineData("multipart/related; type=\"application/dicom\"; transfer-syntax=*", null)]
    [InlineData("multipart/related; type=application/dicom; transfer-syntax=*", null)]
    [InlineData("*/*", null)]
    [InlineData("multipart/related", null)]
    [InlineData("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50", Stored)]
    [InlineData("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1, multipart/related; type=\"application/dicom\"; transfer-syntax=*;q=0.5", null)]
    public void Retrieves_send_the_stored_syntax_when_it_is_acceptable(string accept, string? syntax)
    {
        var chosen = Negotiate(accept, Retrieve);
        Assert.NotNull(chosen);
        Assert.Equal(syntax, chosen.TransferSyntax);
    }

    [Theory]
    [InlineData("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1")]
    [InlineData("multipart/related; type=\"application/dicom\"")]
    [InlineData("application/dicom")]
    [InlineData("multipart/related; type=\"application/octet-stream\"")]
    public void Retrieves_refuse_a_transfer_syntax_other_than_the_stored_one(string accept) =>
        Assert.Null(Negotiate(accept, Retrieve));

    [Fact]
    public void Higher_weight_wins_and_ties_keep_header_order()
    {
        var offers = new[] { DicomWebRepresentation.MultipartOctetStream, DicomWebRepresentation.OctetStream };
        Assert.Same(DicomWebRepresentation.OctetStream, DicomWebNegotiation.Negotiate(["multipart/related;q=0.4, application/octet-stream"], offers, (_, _) => true)?.Representation);
        Assert.Same(DicomWebRepresentation.MultipartOctetStream, DicomWebNegotiation.Negotiate(["multipart/related; type=\"application/octet-stream\", application/octet-stream"], offers, (_, _) => true)?.Representation);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("*/json")]
    [InlineData("application/dicom+json; q=2")]
    public void Malformed_ranges_are_skipped(string accept) =>
        Assert.Null(Negotiate(accept, Search));
}
