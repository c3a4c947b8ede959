using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// K: the value is kept, but never blindly: a sequence is recursed ("requires recursively applying the profile rules
/// to each Dataset in each Item"), kept text is swept for identifier tokens, dates inside a cleaned sequence are
/// shifted, and a sequence that arrived as UN bytes (which cannot be inspected) is removed.
/// </summary>
internal sealed class KeepAction
{
    private readonly DatasetWalker _walker;

    public KeepAction(DatasetWalker walker)
    {
        this._walker = walker;
    }

    public void Apply(in ElementVisit visit)
    {
        var vr = visit.VR;
        switch (visit.Element)
        {
            case DicomSequence seq:
                _walker.WalkItems(seq, visit.Path, visit.Clean, visit.Instance);
                visit.Record(AttributeOutcome.Kept, "sequence recursed");
                return;
            case DicomFragmentSequence:
                visit.Record(AttributeOutcome.Kept);
                return;
            case DicomValueElement v when EffectiveVR.IsUnSequence(v):
                // A sequence encoded as UN with defined length cannot be inspected here: keeping it could pass
                // identifiers through, so it is removed.
                visit.Dataset.Remove(v.Tag);
                visit.Record(AttributeOutcome.Removed, "sequence encoded as UN could not be inspected");
                return;
            case DicomValueElement v when vr.IsString && vr != DicomVR.UI && vr != DicomVR.DS && vr != DicomVR.IS && vr != DicomVR.AS && !v.IsBulk:
                var changed = TextMasking.Apply(visit.Dataset, v, vr, full: visit.Clean, visit.Instance);
                visit.Record(changed ? AttributeOutcome.Cleaned : AttributeOutcome.Kept, changed ? "identifying text masked" : null);
                return;
            case DicomValueElement v when (vr == DicomVR.DA || vr == DicomVR.DT) && visit.Clean && visit.Instance.DateOffset is not null:
                DateShifting.Apply(visit, v);
                return;
            default:
                KeepAsIs(visit);
                return;
        }
    }

    private static void KeepAsIs(in ElementVisit visit)
    {
        if (visit.VR != visit.Element.VR && visit.Element is DicomValueElement raw)
        {
            // Re-label a UN element of a known tag with its real VR (bytes are already implicit LE).
            visit.Dataset.Set(new DicomValueElement(raw.Tag, visit.VR, raw.GetBytes()));
        }

        visit.Record(AttributeOutcome.Kept);
    }
}
