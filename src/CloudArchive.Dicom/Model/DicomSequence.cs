namespace CloudArchive.Dicom;

/// <summary>A sequence (VR SQ) whose items are datasets.</summary>
public sealed class DicomSequence : DicomElement
{
    /// <summary>Creates a sequence, optionally with items.</summary>
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null)
        : base(tag, DicomVR.SQ)
    {
        Items = new DicomItemCollection(this);
        if (items is not null)
        {
            foreach (var i in items)
            {
                Items.Add(i);
            }
        }
    }

    /// <summary>The items. Adding an item makes this sequence its <see cref="DicomDataset.ParentSequence"/>.</summary>
    public IList<DicomDataset> Items { get; }

    /// <summary>
    /// True when the sequence was read with undefined length (or is meant to be written that way when the writer's
    /// <see cref="SequenceLengthEncoding.AsRead"/> is used).
    /// </summary>
    public bool UndefinedLength { get; set; }

    /// <summary>The dataset that holds this sequence, or null while detached.</summary>
    public DicomDataset? Parent { get; internal set; }
}
