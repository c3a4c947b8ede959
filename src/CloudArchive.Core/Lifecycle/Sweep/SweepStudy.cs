namespace CloudArchive.Core.Lifecycle.Sweep;

/// <summary>
/// One study as the sweep's listing found it: its expired, unheld instances and, when the listing walked the whole
/// study (<see cref="IArchiveTagIndex.ListsAllInNameOrder"/>), what the rest of it says, so the decision needs no
/// further query for the study.
/// </summary>
internal sealed class SweepStudy(string studyKey, bool walkedWhole)
{
    /// <summary>The opaque study key.</summary>
    public string StudyKey { get; } = studyKey;

    /// <summary>Whether the facts below come from a walk over every blob of the study.</summary>
    public bool WalkedWhole { get; } = walkedWhole;

    /// <summary>Instances with <c>ca_retain_until</c> before the sweep's day and <c>ca_hold</c> = <c>0</c>.</summary>
    public List<TaggedInstance> Expired { get; } = [];

    /// <summary>Whether an instance is kept until the sweep's day or later (only when <see cref="WalkedWhole"/>).</summary>
    public bool HasUnexpired { get; set; }

    /// <summary>Whether any blob of the study carries <c>ca_hold</c> = <c>1</c> (only when <see cref="WalkedWhole"/>).</summary>
    public bool HasHeldTag { get; set; }

    /// <summary>The patients the study's instances are tagged with (only when <see cref="WalkedWhole"/>; usually one).</summary>
    public HashSet<string> Patients { get; } = new(StringComparer.Ordinal);
}
