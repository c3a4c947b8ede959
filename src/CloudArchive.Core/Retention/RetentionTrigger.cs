namespace CloudArchive.Core.Retention;

/// <summary>The date a retention period is counted from.</summary>
public enum RetentionTrigger
{
    /// <summary>The examination date (DICOM StudyDate). For imaging this stands in for "end of treatment" and
    /// "discharge", which the archive does not know; an examination never ends after its own images exist.</summary>
    ExamDate,

    /// <summary>The patient's birth date (DICOM PatientBirthDate).</summary>
    BirthDate,

    /// <summary>The date the archive took the instance in.</summary>
    IngestDate,
}
