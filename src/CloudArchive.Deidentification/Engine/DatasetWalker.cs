using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// Visits every element of a dataset, at every depth, and gives it exactly one action: group lengths are removed,
/// private elements follow the private rule (and their creators stay only while a kept element needs them), and every
/// standard element gets its resolved action from the family that implements it (X, Z, D, U, K, C). Sequences are
/// recursed by the actions that keep items. Stateless per call: one walker serves concurrent files.
/// </summary>
internal sealed class DatasetWalker
{
    private readonly ProfileActions _actions;
    private readonly OverlayGroupRemoval _overlays;
    private readonly PrivateElementAction _privateElements;
    private readonly RemoveAction _removeAction = new();
    private readonly EmptyAction _emptyAction;
    private readonly DummyAction _dummyAction;
    private readonly UidRemapAction _uidAction;
    private readonly KeepAction _keepAction;
    private readonly CleanAction _cleanAction;

    public DatasetWalker(DeidSettings settings, KeyedMapper mapper, ProfileActions actions)
    {
        this._actions = actions;
        var pseudonyms = new PatientPseudonyms(mapper);
        _overlays = new OverlayGroupRemoval(actions);
        _privateElements = new PrivateElementAction(settings, actions, this);
        _emptyAction = new EmptyAction(pseudonyms);
        _dummyAction = new DummyAction(mapper, pseudonyms, this);
        _uidAction = new UidRemapAction(mapper);
        _keepAction = new KeepAction(this);
        _cleanAction = new CleanAction(settings, _uidAction, _keepAction, this);
    }

    /// <param name="ds">The dataset or item.</param>
    /// <param name="path">Tag path of the item, for the report.</param>
    /// <param name="clean">Full cleaning of every text (inside a cleaned sequence).</param>
    /// <param name="ctx">Per-instance context.</param>
    /// <param name="dummyItem">The item is the one item kept by D on a sequence: attributes that their own action
    /// would remove or empty get a keyed dummy instead, so the item's Type 1 attributes keep a value (§2).</param>
    public void Walk(DicomDataset ds, string path, bool clean, InstanceContext ctx, bool dummyItem = false)
    {
        _overlays.Apply(ds, path, ctx);
        var keptPrivateCreators = new HashSet<DicomTag>();
        var privateCreators = new List<DicomTag>();
        foreach (var element in ds.ToList())
        {
            var tag = element.Tag;
            var p = path + tag.ToString();
            if (tag.IsGroupLength)
            {
                ds.Remove(tag);
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, "X", "group-length"));
            }
            else if ((tag.Group & 1) == 1)
            {
                if (tag.IsPrivateCreator)
                {
                    // Settled after the block's elements: a creator stays only while one of them is kept.
                    privateCreators.Add(tag);
                }
                else if (_privateElements.Apply(ds, element, p, ctx))
                {
                    keptPrivateCreators.Add(tag.PrivateCreatorTag!.Value);
                }
            }
            else
            {
                VisitStandard(ds, element, p, clean, ctx, dummyItem);
            }
        }

        SettlePrivateCreators(ds, path, privateCreators, keptPrivateCreators, ctx);
    }

    /// <summary>Walks every item of <paramref name="seq"/>, each under the path <c>path[i]</c>.</summary>
    public void WalkItems(DicomSequence seq, string path, bool clean, InstanceContext ctx)
    {
        for (var i = 0; i < seq.Items.Count; i++)
        {
            Walk(seq.Items[i], $"{path}[{i}]", clean, ctx);
        }
    }

    private void VisitStandard(DicomDataset ds, DicomElement element, string p, bool clean, InstanceContext ctx, bool dummyItem)
    {
        var vr = EffectiveVR.Of(element);
        var action = _actions.ForStandard(element.Tag, vr);
        if (dummyItem && action.Action is DeidAction.Remove or DeidAction.Empty
            && element is DicomValueElement dv && !EffectiveVR.IsUnSequence(dv))
        {
            action = new ResolvedAction(DeidAction.Dummy, "D", action.Source + "; " + action.Code + " upgraded to D inside the item of a D sequence");
        }

        Dispatch(new ElementVisit(ds, element, vr, action, p, clean, ctx));
    }

    private void Dispatch(in ElementVisit visit)
    {
        switch (visit.Action.Action)
        {
            case DeidAction.Remove:
                _removeAction.Apply(visit);
                return;
            case DeidAction.Empty:
                _emptyAction.Apply(visit);
                return;
            case DeidAction.Dummy:
                _dummyAction.Apply(visit);
                return;
            case DeidAction.ReplaceUid:
                _uidAction.Apply(visit);
                return;
            case DeidAction.Keep:
                _keepAction.Apply(visit);
                return;
            case DeidAction.Clean:
                _cleanAction.Apply(visit);
                return;
        }
    }

    private static void SettlePrivateCreators(DicomDataset ds, string path, List<DicomTag> creators, HashSet<DicomTag> kept, InstanceContext ctx)
    {
        foreach (var creator in creators)
        {
            var p = path + creator.ToString();
            if (kept.Contains(creator))
            {
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Kept, "K", "private-creator-of-kept-element"));
            }
            else
            {
                ds.Remove(creator);
                ctx.Report.Attributes.Add(new AttributeRecord(p, AttributeOutcome.Removed, "X", "private-creator"));
            }
        }
    }
}
