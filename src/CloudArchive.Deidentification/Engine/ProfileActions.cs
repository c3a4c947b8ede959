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

    private readonly DeidSettings _settings;
    private readonly ConfidentialityProfileTable _table;

    // The action of a standard attribute depends only on its tag and effective VR under fixed settings and table, so
    // it is resolved once per (tag, VR) for the life of the de-identifier instead of once per element of every file.
    private readonly ConcurrentDictionary<(uint Tag, DicomVR VR), ResolvedAction> _standardActions = new();

    // A box, not a nullable struct: files are de-identified concurrently, and a reference is published atomically.
    private StrongBox<ResolvedAction>? _privateAction;

    public ProfileActions(DeidSettings settings, ConfidentialityProfileTable table)
    {
        this._settings = settings;
        this._table = table;
    }

    /// <summary>The table's row for private attributes (its basic code names removals in the report).</summary>
    public ProfileRow PrivateRow => _table.PrivateAttributesRow;

    /// <summary>The action of every private attribute: the private-attributes row with the options applied.</summary>
    public ResolvedAction ForPrivate() =>
        (_privateAction ??= new(ActionResolver.Resolve(_table.PrivateAttributesRow, _settings.Options))).Value;

    /// <summary>The action the profile gives a standard attribute (override, table row with options, or fallback).</summary>
    public ResolvedAction ForStandard(DicomTag tag, DicomVR effectiveVR)
    {
        var key = (tag.Value, effectiveVR);
        if (_standardActions.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var resolved = ResolveUncached(tag, effectiveVR);
        if (_standardActions.Count < MaxCachedActions)
        {
            _standardActions.TryAdd(key, resolved);
        }

        return resolved;
    }

    private ResolvedAction ResolveUncached(DicomTag tag, DicomVR effectiveVR)
    {
        foreach (var o in _settings.Overrides)
        {
            if (o.Matches(tag, effectiveVR))
            {
                return new ResolvedAction(o.Action, o.Code, "override " + o.Label);
            }
        }

        var row = _table.Find(tag);
        if (row is not null)
        {
            return ActionResolver.Resolve(row, _settings.Options);
        }

        return Fallback(tag, effectiveVR);
    }

    private ResolvedAction Fallback(DicomTag tag, DicomVR vr)
    {
        var o = _settings.Options;
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
