using System.Collections.ObjectModel;

namespace CloudArchive.Dicom;

/// <summary>The items of a <see cref="DicomSequence"/>; keeps each item's parent link so character sets inherit.</summary>
internal sealed class DicomItemCollection : Collection<DicomDataset>
{
    private readonly DicomSequence _owner;

    public DicomItemCollection(DicomSequence owner) => this._owner = owner;

    protected override void InsertItem(int index, DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.ParentSequence = _owner;
        base.InsertItem(index, item);
    }

    protected override void SetItem(int index, DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        this[index].ParentSequence = null;
        item.ParentSequence = _owner;
        base.SetItem(index, item);
    }

    protected override void RemoveItem(int index)
    {
        this[index].ParentSequence = null;
        base.RemoveItem(index);
    }

    protected override void ClearItems()
    {
        foreach (var i in this)
        {
            i.ParentSequence = null;
        }

        base.ClearItems();
    }
}
