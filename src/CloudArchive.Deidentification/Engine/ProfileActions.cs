using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// The action the profile gives each attribute: for a standard attribute a profile override, else its Table E.1-1 row
/// with the options applied, else a fallback by VR; for a private attribute the table's private-attributes row.
/// Thread-safe; one per <see cref="Deidentifier"/>.
/// </summary>
internal sealed class ProfileActions
{
    // Bounds the cache in a long-lived host: a file can carry any number of distinct (unlisted) even-group tags.
    private const int MaxCachedActions = 16384;

    private readonly DeidSettings settings;
    private readonly ConfidentialityProfileTable table;

    // The action of a standard attribute depends only on its tag and effective VR under fixed settings and table, so
    // it is resolved once per (tag, VR) for the life of the de-identifier instead of once per element of every file.
    private readonly ConcurrentDictionary<(uint Tag, DicomVR VR), ResolvedAction> standardActions = new();

    // A box, not a nullable struct: files are de-identified concurrently, and a reference is published atomically.
    private StrongBox<ResolvedAction>? privateAction;

    public ProfileActions(DeidSettings settings, ConfidentialityProfileTable table)
    {
        this.settings = settings;
        this.table = table;
    }

    /// <summary>The table's row for private attributes (its basic code names removals in the report).</summary>
    public ProfileRow PrivateRow => table.PrivateAttributesRow;

    /// <summary>The action of every private attribute: the private-attributes row with the options applied.</summary>
    public ResolvedAction ForPrivate() =>
        (privateAction ??= new(ActionResolver.Resolve(table.PrivateAttributesRow, settings.Options))).Value;

    /// <summary>The action the profile gives a standard attribute (override, table row with options, or fallback).</summary>
    public ResolvedAction ForStandard(DicomTag tag, DicomVR effectiveVR)
    {
        var key = (tag.Value, effectiveVR);
        if (standardActions.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var resolved = ResolveUncached(tag, effectiveVR);
        if (standardActions.Count < MaxCachedActions)
        {
            standardActions.TryAdd(key, resolved);
        }

        return resolved;
    }

    private ResolvedAction ResolveUncached(DicomTag tag, DicomVR effectiveVR)
    {
        foreach (var o in settings.Overrides)
        {
            if (o.Matches(tag, effectiveVR))
            {
                return new ResolvedAction(o.Action, o.Code, "override " + o.Label);
            }
        }

        var row = table.Find(tag);
        if (row is not null)
        {
            return ActionResolver.Resolve(row, settings.Options);
        }

        return Fallback(tag, effectiveVR);
    }

    private ResolvedAction Fallback(DicomTag tag, DicomVR vr)
    {
        var o = settings.Options;
        if (vr == DicomVR.UI)
        {
            return o.Contains(DeidOption.RetainUids) || UidPolicy.IsStructuralAttribute(tag)
                ? new ResolvedAction(DeidAction.Keep, "K", "not-in-table uid-structural-or-retained")
                : new ResolvedAction(DeidAction.ReplaceUid, "U", "not-in-table uid");
        }

        if (vr == DicomVR.DA || vr == DicomVR.DT || vr == DicomVR.TM)
        {
            // PS3.15 E.1.1 Note 4: treat every date and time by its VR, not only the listed ones.
            if (o.Contains(DeidOption.RetainLongitudinalFullDates))
            {
                return new ResolvedAction(DeidAction.Keep, "K", "not-in-table date retainLongitudinalFullDates");
            }

            if (o.Contains(DeidOption.RetainLongitudinalModifiedDates))
            {
                return new ResolvedAction(DeidAction.Clean, "C", "not-in-table date retainLongitudinalModifiedDates");
            }

            return new ResolvedAction(DeidAction.Empty, "Z", "not-in-table date");
        }

        if (vr == DicomVR.PN)
        {
            return new ResolvedAction(DeidAction.Empty, "Z", "not-in-table person-name");
        }

        return new ResolvedAction(DeidAction.Keep, "K", "not-in-table");
    }
}
