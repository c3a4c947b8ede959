using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>U: every UID value is replaced by its keyed <c>2.25.</c> mapping; registry UIDs and empty values stay.</summary>
internal sealed class UidRemapAction
{
    private readonly KeyedMapper _mapper;

    public UidRemapAction(KeyedMapper mapper)
    {
        this._mapper = mapper;
    }

    public void Apply(in ElementVisit visit)
    {
        if (visit.Element is DicomValueElement uv && visit.VR == DicomVR.UI)
        {
            var changed = MapValues(visit.Dataset, uv);
            visit.Record(changed ? AttributeOutcome.Replaced : AttributeOutcome.Kept, changed ? null : "registry or empty UID");
            return;
        }

        // U on anything that is not a readable UI value: nothing to map, so it cannot be kept safely.
        visit.Dataset.Remove(visit.Element.Tag);
        visit.Record(AttributeOutcome.Removed, "not a readable UID value");
    }

    /// <summary>Maps every non-registry, non-empty UID of <paramref name="v"/>; returns true when one changed.</summary>
    public bool MapValues(DicomDataset ds, DicomValueElement v)
    {
        var values = EffectiveVR.GetStrings(v, ds.CharacterSet);
        var changed = false;
        for (var i = 0; i < values.Length; i++)
        {
            var u = values[i].Trim(' ', '\0');
            if (u.Length == 0 || UidPolicy.IsRegistryUid(u))
            {
                continue;
            }

            values[i] = _mapper.MapUid(u);
            changed = true;
        }

        if (changed)
        {
            ds.Set(DicomValueElement.FromStrings(v.Tag, DicomVR.UI, values));
        }

        return changed;
    }
}
