using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// C: a value of similar meaning without identifying content. Sequences are recursed with full cleaning, dates move by
/// the per-patient offset (or are emptied without one), times of day are kept, UIDs are mapped, text is masked, and a
/// value that no cleaner can read (binary, UN) is removed.
/// </summary>
internal sealed class CleanAction
{
    private readonly DeidSettings _settings;
    private readonly UidRemapAction _uids;
    private readonly KeepAction _keep;
    private readonly DatasetWalker _walker;

    public CleanAction(DeidSettings settings, UidRemapAction uids, KeepAction keep, DatasetWalker walker)
    {
        this._settings = settings;
        this._uids = uids;
        this._keep = keep;
        this._walker = walker;
    }

    public void Apply(in ElementVisit visit)
    {
        var vr = visit.VR;
        switch (visit.Element)
        {
            case DicomValueElement un when EffectiveVR.IsUnSequence(un):
                visit.Dataset.Remove(un.Tag);
                visit.Record(AttributeOutcome.Removed, "sequence encoded as UN could not be inspected");
                return;
            case DicomSequence seq:
                _walker.WalkItems(seq, visit.Path, clean: true, visit.Instance);
                visit.Record(AttributeOutcome.Cleaned, "sequence recursed and cleaned");
                return;
            case DicomValueElement v when vr == DicomVR.DA || vr == DicomVR.DT:
                CleanDate(visit, v);
                return;
            case DicomValueElement v when vr == DicomVR.TM:
                // Times of day are kept: the offset is whole days, so intervals and SUV timing stay exact (E.3.6 Note 4).
                _keep.Apply(visit with { Element = v, Clean = false });
                return;
            case DicomValueElement v when vr == DicomVR.UI:
                var changed = !_settings.Options.Contains(DeidOption.RetainUids) && _uids.MapValues(visit.Dataset, v);
                visit.Record(changed ? AttributeOutcome.Replaced : AttributeOutcome.Kept);
                return;
            case DicomValueElement v when vr.IsString && vr != DicomVR.UN && !v.IsBulk:
                var masked = TextMasking.Apply(visit.Dataset, v, vr, full: true, visit.Instance);
                visit.Record(masked ? AttributeOutcome.Cleaned : AttributeOutcome.Kept, masked ? "identifying text masked" : "checked, nothing identifying found");
                return;
            default:
                // Binary values (overlay bitmaps, OB blobs, UN) have no cleaner: removing is the safe form of cleaning.
                visit.Dataset.Remove(visit.Element.Tag);
                visit.Record(AttributeOutcome.Removed, "binary value cannot be cleaned; removed");
                return;
        }
    }

    private static void CleanDate(in ElementVisit visit, DicomValueElement v)
    {
        if (visit.Instance.DateOffset is null)
        {
            // Cleaning a date without a per-patient offset: nothing of similar meaning is known to be safe.
            visit.Dataset.Set(new DicomValueElement(v.Tag, visit.VR, ReadOnlyMemory<byte>.Empty));
            visit.Record(AttributeOutcome.Emptied, "no date offset configured");
            return;
        }

        DateShifting.Apply(visit, v);
    }
}
