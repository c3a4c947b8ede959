namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>A message received from the ingest poison queue (hidden from other receivers until deleted or its visibility lapses).</summary>
/// <param name="MessageId">The queue message id.</param>
/// <param name="PopReceipt">The receipt that deletes it.</param>
/// <param name="MessageKey">The <see cref="IngestFailureNotes.MessageKey"/> of its text (finds the last failure the ingest recorded).</param>
/// <param name="Uploads">The uploads its events name, or null when the text is not a BlobCreated event of <c>incoming</c>.</param>
public sealed record PoisonedIngestMessage(string MessageId, string PopReceipt, string MessageKey, IReadOnlyList<PoisonedUpload>? Uploads);
