namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>One part of a <c>multipart/related</c> body, streamed: read <see cref="Body"/> before asking for the next part.</summary>
/// <param name="ContentType">The part's <c>Content-Type</c>, or null when it has none.</param>
/// <param name="Body">The part's content, forward-only, limited to the reader's per-part limit.</param>
public sealed record MultipartRelatedPart(string? ContentType, Stream Body);
