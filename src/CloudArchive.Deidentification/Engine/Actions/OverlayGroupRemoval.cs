using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// Removing Overlay Data (60xx,3000) leaves the rest of its Overlay Plane (Type 1 rows, columns, type...) describing
/// nothing, which breaks IOD conformance; so when the data goes (X, or C on a value, which removes it), its whole group
/// goes, before the elements of the dataset are visited one by one.
/// </summary>
internal sealed class OverlayGroupRemoval
{
    private readonly ProfileActions _actions;

    public OverlayGroupRemoval(ProfileActions actions)
    {
        this._actions = actions;
    }

    public void Apply(DicomDataset ds, string path, InstanceContext ctx)
    {
        var overlayGroups = ds.Tags.Where(t => (t.Group & 0xFF01) == 0x6000 && t.Element == 0x3000).Select(t => t.Group).Distinct().ToList();
        foreach (var g in overlayGroups)
        {
            var dataTag = new DicomTag(g, 0x3000);
            var action = _actions.ForStandard(dataTag, EffectiveVR.Of(ds[dataTag]));
            if (action.Action is DeidAction.Remove || (action.Action == DeidAction.Clean && ds[dataTag] is DicomValueElement))
            {
                foreach (var t in ds.Tags.Where(t => t.Group == g).ToList())
                {
                    ds.Remove(t);
                    ctx.Report.Attributes.Add(new AttributeRecord(path + t.ToString(), AttributeOutcome.Removed, action.Code, action.Source, "overlay plane removed with its Overlay Data"));
                }
            }
        }
    }
}
