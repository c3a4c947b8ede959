using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>One element of one dataset level, with the action resolved for it: what every action family is given.</summary>
/// <param name="Dataset">The dataset or sequence item holding the element (the action changes it in place).</param>
/// <param name="Element">The element as read.</param>
/// <param name="VR">Its effective VR (<see cref="EffectiveVR"/>).</param>
/// <param name="Action">The resolved action, whose code and source go into the report.</param>
/// <param name="Path">Tag path of the element, for the report.</param>
/// <param name="Clean">Full cleaning of every text (inside a cleaned sequence).</param>
/// <param name="Instance">The per-instance context.</param>
internal readonly record struct ElementVisit(
    DicomDataset Dataset,
    DicomElement Element,
    DicomVR VR,
    ResolvedAction Action,
    string Path,
    bool Clean,
    InstanceContext Instance)
{
    /// <summary>Adds the element's report line with the action's code and source.</summary>
    public void Record(AttributeOutcome outcome, string? note = null) =>
        Instance.Report.Attributes.Add(new AttributeRecord(Path, outcome, Action.Code, Action.Source, note));

    /// <summary>True for a sequence in any encoding, including a standard sequence that arrived as UN bytes.</summary>
    public bool IsAnySequence => Element is DicomSequence or DicomFragmentSequence || EffectiveVR.IsUnSequence(Element);

    /// <summary>Writes the element back with a zero-length value of its effective VR.</summary>
    public void SetEmpty() => Dataset.Set(new DicomValueElement(Element.Tag, VR, ReadOnlyMemory<byte>.Empty));
}
