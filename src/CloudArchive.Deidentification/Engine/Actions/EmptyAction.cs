using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>Z: the attribute stays with a zero-length value; a sequence stays with no items, and Patient ID and
/// Patient's Name get their keyed pseudonym (Z allows a non-zero-length dummy).</summary>
internal sealed class EmptyAction
{
    private readonly PatientPseudonyms _pseudonyms;

    public EmptyAction(PatientPseudonyms pseudonyms)
    {
        this._pseudonyms = pseudonyms;
    }

    public void Apply(in ElementVisit visit)
    {
        if (visit.IsAnySequence)
        {
            visit.Dataset.Set(new DicomSequence(visit.Element.Tag));
            visit.Record(AttributeOutcome.Emptied);
            return;
        }

        if (PatientPseudonyms.AppliesTo(visit.Element.Tag))
        {
            // Z allows a non-zero-length dummy; a stable pseudonym keeps a research set usable.
            _pseudonyms.Set(visit);
            visit.Record(AttributeOutcome.Replaced, "pseudonym");
            return;
        }

        visit.SetEmpty();
        visit.Record(AttributeOutcome.Emptied);
    }
}
