namespace CloudArchive.Research.Consent;

/// <summary>
/// One consent read from a CSV row or a FHIR Consent, still carrying the patient id (+ issuer). It exists only between
/// reading and pseudonymizing: <see cref="ToString"/> omits the identifiers so a stray log line cannot leak them.
/// </summary>
public sealed class ConsentImportRow
{
    /// <summary>Where it was read (e.g. <c>line 4</c>, <c>entry[2]</c>); no values.</summary>
    public required string Location { get; init; }

    /// <summary>The Patient ID (DICOM (0010,0020)).</summary>
    public required string PatientId { get; init; }

    /// <summary>The Issuer of Patient ID (DICOM (0010,0021)), or null.</summary>
    public string? Issuer { get; init; }

    /// <summary>The source's consent id, if any.</summary>
    public string? SourceId { get; init; }

    /// <summary>Status.</summary>
    public required ConsentStatus Status { get; init; }

    /// <summary>Start of the consent period.</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>End of the consent period (exclusive).</summary>
    public DateTimeOffset? PeriodEnd { get; init; }

    /// <summary>First study date covered.</summary>
    public DateOnly? DataFrom { get; init; }

    /// <summary>Last study date covered.</summary>
    public DateOnly? DataTo { get; init; }

    /// <summary>Purposes permitted.</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>Recipients permitted.</summary>
    public IReadOnlyList<string> Actors { get; init; } = [];

    /// <summary>Deny provisions.</summary>
    public IReadOnlyList<ConsentDenyProvision> Deny { get; init; } = [];

    /// <summary>The record for <paramref name="patientPseudonym"/>.</summary>
    public ConsentRecord ToRecord(string patientPseudonym, string source, DateTimeOffset recordedAt, string recordedBy) => new()
    {
        PatientPseudonym = patientPseudonym,
        SourceId = SourceId,
        Status = Status,
        PeriodStart = PeriodStart,
        PeriodEnd = PeriodEnd,
        DataFrom = DataFrom,
        DataTo = DataTo,
        Purposes = Purposes,
        Actors = Actors,
        Deny = Deny,
        Source = source,
        RecordedAt = recordedAt,
        RecordedBy = recordedBy,
    };

    /// <summary>Where the row came from, without the identifiers.</summary>
    public override string ToString() => $"consent at {Location}";
}
