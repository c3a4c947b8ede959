namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>An upload named by a poisoned ingest event. <see cref="BlobName"/> may hold patient data: never log or audit it.</summary>
/// <param name="Container">The container.</param>
/// <param name="BlobName">The blob name.</param>
/// <param name="EventId">The event's id.</param>
public sealed record PoisonedUpload(string Container, string BlobName, string EventId);
