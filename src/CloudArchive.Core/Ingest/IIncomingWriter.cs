namespace CloudArchive.Core.Ingest;

/// <summary>
/// Writes an upload into an upload container, as an uploader would: what <c>quarantine retry</c> needs to send a
/// quarantined upload back through the ingest. Create-only, so a repeated retry never replaces a newer upload.
/// </summary>
public interface IIncomingWriter
{
    /// <summary>Writes <paramref name="content"/> (read forward once) create-only; false when the name is already taken.</summary>
    Task<bool> TryCreateAsync(string container, string blobName, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);
}
