namespace CloudArchive.Dicom;

/// <summary>Choices for <see cref="DicomWriter"/>.</summary>
public sealed record DicomWriterOptions
{
    /// <summary>The default options.</summary>
    public static DicomWriterOptions Default { get; } = new();

    /// <summary>
    /// The transfer syntax to write; null keeps the file's own. Transcoding between the native syntaxes (implicit LE,
    /// explicit LE, explicit BE, deflated) is supported; encapsulated Pixel Data can only be written in the transfer
    /// syntax it was read in.
    /// </summary>
    public TransferSyntax? TransferSyntax { get; init; }

    /// <summary>How sequence and item lengths are encoded. Default <see cref="SequenceLengthEncoding.AsRead"/>.</summary>
    public SequenceLengthEncoding SequenceLengths { get; init; } = SequenceLengthEncoding.AsRead;

    /// <summary>Copy buffer size for bulk values. Default 1 MiB.</summary>
    public int BufferSize { get; init; } = 1 << 20;

    /// <summary>Compression level for deflated transfer syntaxes. Default <see cref="System.IO.Compression.CompressionLevel.Optimal"/>.</summary>
    public System.IO.Compression.CompressionLevel DeflateLevel { get; init; } = System.IO.Compression.CompressionLevel.Optimal;
}
