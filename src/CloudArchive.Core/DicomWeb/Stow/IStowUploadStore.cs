namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>
/// Storage port of STOW-RS: writes one part into the uploads container (<c>incoming</c>) under a name STOW chose, so the
/// ordinary ingest pipeline takes it in from there. Transient failures surface as exceptions.
/// </summary>
public interface IStowUploadStore
{
    /// <summary>The uploads container the ingest is told to read from.</summary>
    string Container { get; }

    /// <summary>
    /// Writes <paramref name="content"/> (read once, forward) as a new blob, create-only, with the upload reference in its
    /// metadata (<see cref="Ingest.UploadReference.MetadataName"/>). Nothing is committed when the content stream fails.
    /// </summary>
    Task WriteAsync(string blobName, Stream content, string uploadReference, CancellationToken cancellationToken);
}
