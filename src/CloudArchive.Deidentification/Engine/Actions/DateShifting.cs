using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>Dates and date-times cleaned under Retain Longitudinal Temporal Information with Modified Dates move by
/// the per-patient offset; a value that is not a valid date is emptied.</summary>
internal static class DateShifting
{
    /// <summary>Shifts the visited DA or DT value by the instance's date offset (which must be set).</summary>
    public static void Apply(in ElementVisit visit, DicomValueElement v)
    {
        var ds = visit.Dataset;
        var vr = visit.VR;
        var values = EffectiveVR.GetStrings(v, ds.CharacterSet);
        var joined = string.Join('\\', values);
        var offset = visit.Instance.DateOffset!.Value;
        var shifted = vr == DicomVR.DA ? DateShifter.ShiftDA(joined, offset) : DateShifter.ShiftDT(joined, offset);
        if (shifted is null)
        {
            ds.Set(new DicomValueElement(v.Tag, vr, ReadOnlyMemory<byte>.Empty));
            visit.Record(AttributeOutcome.Emptied, "value is not a valid date; emptied");
            return;
        }

        ds.Set(DicomValueElement.FromStrings(v.Tag, vr, [shifted]));
        visit.Record(AttributeOutcome.Replaced, "date shifted by the per-patient offset");
    }
}
