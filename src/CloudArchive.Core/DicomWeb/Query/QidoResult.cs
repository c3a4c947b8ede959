namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>One entity of a QIDO-RS response and the URL it can be retrieved from (Retrieve URL, 0008,1190).</summary>
/// <param name="Entity">The entity's attributes.</param>
/// <param name="RetrieveUrl">Its WADO-RS URL, or null when it has none.</param>
public sealed record QidoResult(IQidoAttributeSource Entity, string? RetrieveUrl);
