namespace CloudArchive.Deidentification;

/// <summary>X: the attribute is removed.</summary>
internal sealed class RemoveAction
{
    public void Apply(in ElementVisit visit)
    {
        visit.Dataset.Remove(visit.Element.Tag);
        visit.Record(AttributeOutcome.Removed);
    }
}
