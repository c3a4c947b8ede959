namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>What became of a poisoned upload.</summary>
public enum PoisonedUploadOutcome
{
    /// <summary>Copied to quarantine with reason <c>ingest-failed</c>, audited, removed from <c>incoming</c>.</summary>
    Quarantined,

    /// <summary>No longer in <c>incoming</c> (a later delivery handled it): nothing to move.</summary>
    Gone,
}
