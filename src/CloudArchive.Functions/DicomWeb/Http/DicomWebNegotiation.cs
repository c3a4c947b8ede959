namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>
/// <c>Accept</c> negotiation for DICOMweb resources (PS3.18 8.7): the acceptable ranges are tried from the highest
/// weight down (ties in header order); a range matches an offered representation when its type/subtype matches
/// (<c>*/*</c>, <c>type/*</c> or exact; <c>application/json</c> is taken as <c>application/dicom+json</c>, as many
/// clients send it), its <c>type</c> parameter (for <c>multipart/related</c>) names the parts' type, and the transfer
/// syntax it asks for — its <c>transfer-syntax</c> parameter, or the representation's default when it names the
/// representation explicitly — can be served, which the caller decides (this server never transcodes). No match:
/// null, answered 406.
/// </summary>
public static class DicomWebNegotiation
{
    /// <summary>Chooses a representation, or null when none is acceptable.</summary>
    /// <param name="accept">The <c>Accept</c> header lines.</param>
    /// <param name="offers">What the resource can be sent in, the server's preference first.</param>
    /// <param name="canServe">Whether the offer can be sent in the transfer syntax (a UID) the client asked for.</param>
    public static NegotiatedRepresentation? Negotiate(IEnumerable<string?> accept, IReadOnlyList<DicomWebRepresentation> offers, Func<DicomWebRepresentation, string, bool>? canServe = null)
    {
        ArgumentNullException.ThrowIfNull(accept);
        ArgumentNullException.ThrowIfNull(offers);
        var ranges = MediaRange.ParseAccept(accept)
            .Select((r, i) => (Range: r, Index: i))
            .Where(x => x.Range.Quality > 0)
            .OrderByDescending(x => x.Range.Quality)
            .ThenBy(x => x.Index)
            .Select(x => x.Range);
        foreach (var range in ranges)
        {
            foreach (var offer in offers)
            {
                if (!Matches(range, offer, out var explicitType))
                {
                    continue;
                }

                range.Parameters.TryGetValue("transfer-syntax", out var syntax);
                if (syntax is null && explicitType)
                {
                    syntax = offer.DefaultTransferSyntax;
                }

                if (syntax is null or "*")
                {
                    return new NegotiatedRepresentation(offer, null);
                }

                if (canServe?.Invoke(offer, syntax) ?? false)
                {
                    return new NegotiatedRepresentation(offer, syntax);
                }
            }
        }

        return null;
    }

    private static bool Matches(MediaRange range, DicomWebRepresentation offer, out bool explicitType)
    {
        explicitType = false;
        var type = range.MediaType == "application/json" ? "application/dicom+json" : range.MediaType;
        if (type == "*/*")
        {
            return true;
        }

        var slash = offer.MediaType.IndexOf('/', StringComparison.Ordinal);
        if (range.Subtype == "*")
        {
            return range.Type == offer.MediaType[..slash];
        }

        if (type != offer.MediaType)
        {
            return false;
        }

        if (offer.PartType is null)
        {
            explicitType = true;
            return true;
        }

        // multipart/related without a type parameter: the server chooses the parts' type (PS3.18 8.7.5).
        if (!range.Parameters.TryGetValue("type", out var partType))
        {
            return true;
        }

        explicitType = true;
        return string.Equals(partType.Trim(), offer.PartType, StringComparison.OrdinalIgnoreCase);
    }
}
