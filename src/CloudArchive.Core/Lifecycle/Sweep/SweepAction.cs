namespace CloudArchive.Core.Lifecycle.Sweep;

/// <summary>What the retention sweep does with an expired instance.</summary>
public enum SweepAction
{
    /// <summary>Delete the instance; other instances of its study are still within retention.</summary>
    DeleteInstance,

    /// <summary>Every instance of the study is expired: crypto-shred the study completely and delete its instances.</summary>
    ShredStudy,

    /// <summary>Kept: a legal hold covers the study (holds outrank retention).</summary>
    KeepHeld,
}
