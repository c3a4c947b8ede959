using Microsoft.Extensions.Logging;

namespace CloudArchive.Core.Lifecycle;

/// <summary>
/// The stable event ids of the lifecycle alerts. They are logged at error level with opaque keys and counts only, so an
/// Application Insights alert rule can fire on the id (infra/modules/monitoring.bicep) and nothing in them is PHI.
/// </summary>
public static class LifecycleLogEvents
{
    /// <summary>Reconcile re-enqueued uploads that had waited in <c>incoming</c> past the threshold (a lost event).</summary>
    public static readonly EventId StaleUploadsReenqueued = new(7101, "ReconcileStaleUploads");

    /// <summary>Reconcile moved poisoned uploads to quarantine (<c>ingest-failed</c>).</summary>
    public static readonly EventId PoisonedUploadsQuarantined = new(7102, "ReconcilePoisonedUploads");

    /// <summary>The fixity sweep found an archive blob that does not decrypt-verify.</summary>
    public static readonly EventId FixityFailed = new(7201, "FixityFailed");
}
