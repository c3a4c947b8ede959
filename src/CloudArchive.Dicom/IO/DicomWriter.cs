namespace CloudArchive.Dicom;

/// <summary>
/// Writes DICOM Part 10 files (preamble, regenerated file meta group, dataset) or bare datasets, in any native
/// transfer syntax (implicit LE, explicit LE, explicit BE, deflated) or in the encapsulated syntax the pixel data
/// was read in. Values are padded to even length by VR; bulk values are copied through a fixed-size buffer.
/// </summary>
public static class DicomWriter
{
    /// <summary>Writes <paramref name="file"/> as Part 10.</summary>
    /// <exception cref="InvalidOperationException">Encapsulated pixel data and the target transfer syntax do not match.</exception>
    public static Task WriteAsync(Stream stream, DicomFile file, DicomWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        return new DicomSerializer(stream, options ?? DicomWriterOptions.Default, cancellationToken).WriteFileAsync(file);
    }

    /// <summary>Writes only the dataset (no preamble, no meta) in the given transfer syntax.</summary>
    /// <exception cref="InvalidOperationException">The dataset holds encapsulated pixel data and the syntax is native.</exception>
    public static Task WriteDatasetAsync(Stream stream, DicomDataset dataset, TransferSyntax transferSyntax, DicomWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        return new DicomSerializer(stream, options ?? DicomWriterOptions.Default, cancellationToken).WriteDatasetOnlyAsync(dataset, transferSyntax);
    }
}
