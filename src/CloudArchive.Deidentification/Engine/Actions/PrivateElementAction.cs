using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// Private data elements follow the table's private-attributes row: removed, unless an option keeps safe private
/// attributes and this one is on the safe private list for its creator; a kept one is cleaned (the option's C): text
/// swept, sequences recursed.
/// </summary>
internal sealed class PrivateElementAction
{
    private readonly DeidSettings _settings;
    private readonly ProfileActions _actions;
    private readonly DatasetWalker _walker;

    public PrivateElementAction(DeidSettings settings, ProfileActions actions, DatasetWalker walker)
    {
        this._settings = settings;
        this._actions = actions;
        this._walker = walker;
    }

    /// <summary>Applies the private rule to one private data element (not a creator); returns true when it is kept.</summary>
    public bool Apply(DicomDataset ds, DicomElement element, string p, InstanceContext ctx)
    {
        var tag = element.Tag;
        var resolved = _actions.ForPrivate();
        var creator = tag.IsPrivateData ? ds.GetPrivateCreator(tag) : null;
        var safe = resolved.Action != DeidAction.Remove
            && creator is not null
            && _settings.SafePrivate.Contains(creator, tag.Group, (byte)(tag.Element & 0xFF));
        if (!safe)
        {
            ds.Remove(tag);
            // The creator of a removed block is not named: it is a value of the input and could itself identify.
            ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, resolved.Action == DeidAction.Remove ? _actions.PrivateRow.BasicCode : resolved.Code, "private", creator is null ? "no private creator" : "not on the safe private list"));
            return false;
        }

        KeepSafe(new ElementVisit(ds, element, element.VR, resolved, p, Clean: true, ctx), creator!);
        return true;
    }

    private void KeepSafe(in ElementVisit visit, string creator)
    {
        var note = "safe private, creator " + creator;
        switch (visit.Element)
        {
            case DicomSequence seq:
                _walker.WalkItems(seq, visit.Path, clean: true, visit.Instance);
                visit.Record(AttributeOutcome.Kept, note);
                break;
            case DicomValueElement v when v.VR.IsString && !v.IsBulk:
                var cleaned = TextMasking.Apply(visit.Dataset, v, v.VR, full: false, visit.Instance);
                visit.Record(cleaned ? AttributeOutcome.Cleaned : AttributeOutcome.Kept, note);
                break;
            default:
                visit.Record(AttributeOutcome.Kept, note);
                break;
        }
    }
}
