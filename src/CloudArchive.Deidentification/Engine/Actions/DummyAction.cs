using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// D: the attribute gets a non-zero-length dummy value consistent with its VR, keyed and deterministic. On a sequence
/// (§2) it keeps exactly one item, de-identified with dummies in place of removed or emptied values.
/// </summary>
internal sealed class DummyAction
{
    private readonly KeyedMapper _mapper;
    private readonly PatientPseudonyms _pseudonyms;
    private readonly DatasetWalker _walker;

    public DummyAction(KeyedMapper mapper, PatientPseudonyms pseudonyms, DatasetWalker walker)
    {
        this._mapper = mapper;
        this._pseudonyms = pseudonyms;
        this._walker = walker;
    }

    public void Apply(in ElementVisit visit)
    {
        if (visit.Element is DicomSequence dseq && dseq.Items.Count > 0)
        {
            KeepOneDummyItem(visit, dseq);
            return;
        }

        if (visit.IsAnySequence)
        {
            // Nothing to derive a dummy item from (no items, or a UN-encoded sequence that cannot be inspected).
            visit.Dataset.Set(new DicomSequence(visit.Element.Tag));
            visit.Record(AttributeOutcome.Emptied, "sequence: written with zero items");
            return;
        }

        if (PatientPseudonyms.AppliesTo(visit.Element.Tag))
        {
            _pseudonyms.Set(visit);
            visit.Record(AttributeOutcome.Replaced, "pseudonym");
            return;
        }

        visit.Dataset.Set(Dummy(visit.Dataset, (DicomValueElement)visit.Element, visit.VR));
        visit.Record(AttributeOutcome.Replaced, "dummy");
    }

    private void KeepOneDummyItem(in ElementVisit visit, DicomSequence dseq)
    {
        // D on a sequence (§2): the attribute is Type 1 somewhere, so it keeps exactly one item, the first,
        // de-identified recursively with every value that its own action would remove or empty replaced by
        // a keyed dummy. The other items (further observers, content) are dropped.
        var dropped = dseq.Items.Count - 1;
        while (dseq.Items.Count > 1)
        {
            dseq.Items.RemoveAt(dseq.Items.Count - 1);
        }

        _walker.Walk(dseq.Items[0], visit.Path + "[0]", visit.Clean, visit.Instance, dummyItem: true);
        visit.Record(AttributeOutcome.Replaced, dropped == 0 ? "sequence: one item with dummy values" : $"sequence: one item with dummy values, {dropped} item(s) removed");
    }

    private DicomValueElement Dummy(DicomDataset ds, DicomValueElement v, DicomVR vr)
    {
        if (vr.IsString && vr != DicomVR.UN)
        {
            string original;
            try
            {
                original = string.Join('\\', EffectiveVR.GetStrings(v, ds.CharacterSet));
            }
            catch (DicomValueException)
            {
                original = Convert.ToHexString(v.GetBytes().Span);
            }

            if (vr == DicomVR.UI)
            {
                var values = original.Split('\\').Select(u => u.Trim()).Where(u => u.Length > 0)
                    .Select(u => UidPolicy.IsRegistryUid(u) ? u : _mapper.MapUid(u)).ToArray();
                return DicomValueElement.FromStrings(v.Tag, vr, values.Length == 0 ? [_mapper.MapUid(v.Tag.ToString())] : values);
            }

            return DicomValueElement.FromStrings(v.Tag, vr, [_mapper.DummyText(v.Tag, vr, original)], ds.CharacterSet);
        }

        // Binary VRs: one zero value of the VR's unit size (non-zero length, carries nothing).
        var size = vr == DicomVR.AT ? 4 : vr == DicomVR.UN || vr == DicomVR.OB ? 2 : Math.Max(2, vr.UnitSize);
        return new DicomValueElement(v.Tag, vr, new byte[size]);
    }
}
