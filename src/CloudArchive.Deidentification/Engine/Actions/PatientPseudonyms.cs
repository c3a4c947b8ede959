using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>Patient ID and Patient's Name, when Z or D applies, get a keyed pseudonym of the patient instead of an
/// empty or random value, so a research set keeps one patient together.</summary>
internal sealed class PatientPseudonyms
{
    private readonly KeyedMapper _mapper;

    public PatientPseudonyms(KeyedMapper mapper)
    {
        this._mapper = mapper;
    }

    /// <summary>True for the two attributes that get a pseudonym.</summary>
    public static bool AppliesTo(DicomTag tag) => tag == DicomTags.PatientID || tag == DicomTags.PatientName;

    /// <summary>Writes the pseudonym of the visited Patient ID or Patient's Name.</summary>
    public void Set(in ElementVisit visit)
    {
        var ds = visit.Dataset;
        var tag = visit.Element.Tag;

        // The key is the Patient ID of the same dataset level (DICOMDIR patient records, other-patient items) or,
        // failing that, the instance's patient key, so name and ID pseudonyms agree for one patient.
        var levelId = (ds.Get(DicomTags.PatientID) as DicomValueElement) is { } idEl && idEl.Length > 0
            ? DatasetValues.SafeString(ds, idEl)
            : null;
        var key = string.IsNullOrWhiteSpace(levelId) ? visit.Instance.PatientKey : DicomTags.PatientID.ToString() + levelId.Trim();
        var value = tag == DicomTags.PatientID ? _mapper.PatientId(key) : _mapper.PatientName(key);
        var vr = visit.VR == DicomVR.UN ? (tag == DicomTags.PatientID ? DicomVR.LO : DicomVR.PN) : visit.VR;
        ds.Set(DicomValueElement.FromStrings(tag, vr, [value]));
    }
}
