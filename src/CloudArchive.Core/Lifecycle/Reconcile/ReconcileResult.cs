namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>What one reconcile run did.</summary>
/// <param name="Reenqueued">Stale uploads put back on the ingest queue.</param>
/// <param name="StillWaiting">Stale uploads re-enqueued by an earlier run less than the threshold ago (left alone).</param>
/// <param name="Quarantined">Poisoned uploads moved to quarantine as <c>ingest-failed</c>.</param>
/// <param name="PoisonCleared">Poison messages whose uploads were already gone (handled meanwhile), deleted.</param>
/// <param name="PoisonUnreadable">Poison messages that name no upload of <c>incoming</c>, left in the poison queue for a person.</param>
public sealed record ReconcileResult(int Reenqueued, int StillWaiting, int Quarantined, int PoisonCleared, int PoisonUnreadable);
