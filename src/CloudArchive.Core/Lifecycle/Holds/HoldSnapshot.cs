namespace CloudArchive.Core.Lifecycle.Holds;

/// <summary>The active holds at one moment, as sets of held study keys and patient pseudonyms (holds are few).</summary>
public sealed class HoldSnapshot
{
    private readonly HashSet<string> _studies;
    private readonly HashSet<string> _patients;

    /// <summary>Creates a snapshot of <paramref name="active"/> holds.</summary>
    public HoldSnapshot(IEnumerable<LegalHold> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        var holds = active.Where(h => h.IsActive).ToList();
        _studies = holds.Where(h => h.Scope == LegalHoldScope.Study).Select(h => h.Target).ToHashSet(StringComparer.Ordinal);
        _patients = holds.Where(h => h.Scope == LegalHoldScope.Patient).Select(h => h.Target).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether any patient-scoped hold is active (only then does a caller need an instance's patient tag).</summary>
    public bool HasPatientHolds => _patients.Count > 0;

    /// <summary>Whether a study hold covers <paramref name="studyKey"/>, or a patient hold covers <paramref name="patientPseudonym"/>.</summary>
    public bool Covers(string studyKey, string? patientPseudonym) =>
        _studies.Contains(studyKey) || (patientPseudonym is not null && _patients.Contains(patientPseudonym));

    /// <summary>Whether a study hold covers <paramref name="studyKey"/>.</summary>
    public bool CoversStudy(string studyKey) => _studies.Contains(studyKey);
}
