namespace CloudArchive.Core.Retention;

/// <summary>
/// What the archive knows about an instance when it computes the retention date. Missing facts are
/// allowed; the evaluator then assumes the value that gives the latest deadline (see
/// <see cref="RetentionAssumption"/>).
/// </summary>
public sealed record RetentionFacts
{
    /// <summary>The date the archive takes the instance in (UTC). Required.</summary>
    public required DateOnly IngestDate { get; init; }

    /// <summary>The examination date (DICOM StudyDate), if present and valid.</summary>
    public DateOnly? ExamDate { get; init; }

    /// <summary>The patient's birth date (DICOM PatientBirthDate), if present and valid.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>The jurisdiction whose law applies (ISO 3166, from configuration per source), if known.</summary>
    public string? Jurisdiction { get; init; }

    /// <summary>The DICOM Modality of the instance, if present.</summary>
    public string? Modality { get; init; }
}
