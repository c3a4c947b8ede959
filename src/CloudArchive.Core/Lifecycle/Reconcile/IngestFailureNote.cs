namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>The last failure of an ingest message's delivery, as the ingest function recorded it.</summary>
/// <param name="ErrorCode">A stable code (e.g. <c>storage-503-serverbusy</c>, <c>keyring</c>, <c>invalid-message</c>).</param>
/// <param name="Delivery">The delivery that failed (1-based).</param>
/// <param name="At">When it failed.</param>
public sealed record IngestFailureNote(string ErrorCode, int Delivery, DateTimeOffset At);
