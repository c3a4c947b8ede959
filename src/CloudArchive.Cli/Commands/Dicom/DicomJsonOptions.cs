namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>Options of <see cref="DicomJsonOutput"/> (the flags of <c>dicom json</c>).</summary>
public sealed record DicomJsonOptions
{
    /// <summary>
    /// Binary values (OB, OD, OF, OL, OV, OW, UN) longer than this many bytes and all encapsulated pixel
    /// data are written as <c>BulkDataURI</c>; shorter binary values are written as <c>InlineBinary</c>
    /// (base64), streamed from disk when the reader left them there.
    /// </summary>
    public int BulkDataThreshold { get; init; } = 1024;

    /// <summary>Leave bulk data attributes out entirely instead of writing a <c>BulkDataURI</c>.</summary>
    public bool OmitBulkData { get; init; }

    /// <summary>
    /// Base of every <c>BulkDataURI</c>: the URI is <c>{base}/{path}</c>, where path is the tag (8 hex
    /// digits) preceded by <c>{sequence tag}/{item index}/</c> for each enclosing sequence. When null,
    /// the URI is <c>{SourceUri}#{path}</c>.
    /// </summary>
    public string? BulkDataUriBase { get; init; }

    /// <summary>The URI of the input file, used when <see cref="BulkDataUriBase"/> is null.</summary>
    public string SourceUri { get; init; } = string.Empty;

    /// <summary>Indent the output.</summary>
    public bool Indented { get; init; } = true;
}
