namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>The media type of a frame in an encapsulated transfer syntax (PS3.18 Table 8.7.3-2), for <c>/frames</c>.</summary>
public static class EncapsulatedMediaTypes
{
    /// <summary>The media type for frames of <paramref name="transferSyntax"/>, or null when PS3.18 names none (then only <c>application/octet-stream; transfer-syntax=…</c>).</summary>
    public static string? For(string transferSyntax) => transferSyntax switch
    {
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" or "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.70" => "image/jpeg",
        "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81" => "image/jls",
        "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91" => "image/jp2",
        "1.2.840.10008.1.2.4.92" or "1.2.840.10008.1.2.4.93" => "image/jpx",
        "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203" => "image/jphc",
        "1.2.840.10008.1.2.5" => "image/dicom-rle",
        _ => null,
    };
}
