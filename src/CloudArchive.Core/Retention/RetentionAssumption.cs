namespace CloudArchive.Core.Retention;

/// <summary>
/// A fact the evaluator had to assume because it was missing or inconsistent. Each assumption is the
/// conservative one: the resulting date is the latest the rules could give for any value of the fact.
/// </summary>
public enum RetentionAssumption
{
    /// <summary>No examination date: the ingest date was used (an examination cannot be later than its
    /// images reaching the archive, so this is never earlier than the truth).</summary>
    ExamDateUnknownUsedIngestDate,

    /// <summary>No birth date: each age-dependent rule was applied as if the patient were as young as its
    /// conditions allow (a newborn when unconstrained), i.e. the latest possible deadline.</summary>
    BirthDateUnknownAssumedYoungest,

    /// <summary>The birth date was after the examination date, so it cannot be right; it was treated as
    /// unknown (see <see cref="BirthDateUnknownAssumedYoungest"/>).</summary>
    BirthDateAfterExamIgnored,

    /// <summary>No jurisdiction was given: rules for every jurisdiction were considered.</summary>
    JurisdictionUnknownAllConsidered,

    /// <summary>No modality was given: modality-specific rules were considered.</summary>
    ModalityUnknownAllConsidered,
}
