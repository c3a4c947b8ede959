namespace CloudArchive.Core.Ingest;

/// <summary>
/// Storage port for the <c>quarantine</c> container: keeps a rejected upload under its original name with a
/// <c>&lt;name&gt;.reason.json</c> beside it. Must never overwrite a different earlier quarantined upload of the same
/// name, and must be idempotent when the same upload is placed again (re-delivery).
/// </summary>
public interface IQuarantineStore
{
    /// <summary>Stores the upload copy and its reason file; returns the name under which the copy was stored.</summary>
    /// <param name="uploadName">The upload's name in <c>incoming</c>.</param>
    /// <param name="content">The upload, positioned at its start.</param>
    /// <param name="contentMac">The keyed MAC of the upload (identifies a re-delivery of the same content), if computed.</param>
    /// <param name="reasonJson">The reason document (UTF-8 JSON, no patient data).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<string> PlaceAsync(string uploadName, Stream content, string? contentMac, ReadOnlyMemory<byte> reasonJson, CancellationToken cancellationToken);
}
