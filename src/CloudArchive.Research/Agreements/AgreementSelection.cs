using CloudArchive.Core.Archive;

namespace CloudArchive.Research.Agreements;

/// <summary>
/// Which archived instances an agreement covers, evaluated on the encrypted instance index (never on the instances).
/// Every list is a filter only when non-empty; an empty list matches anything. Codes compare case-insensitively
/// (modality and body part codes are uppercase by the standard, but gateways differ).
/// </summary>
public sealed record AgreementSelection
{
    /// <summary>Modality codes (e.g. <c>CT</c>, <c>MR</c>).</summary>
    public IReadOnlyList<string> Modalities { get; init; } = [];

    /// <summary>First study date included (inclusive), or null for no lower bound.</summary>
    public DateOnly? StudyDateFrom { get; init; }

    /// <summary>Last study date included (inclusive), or null for no upper bound.</summary>
    public DateOnly? StudyDateTo { get; init; }

    /// <summary>Body Part Examined codes (e.g. <c>CHEST</c>).</summary>
    public IReadOnlyList<string> BodyParts { get; init; } = [];

    /// <summary>SOP Class UIDs.</summary>
    public IReadOnlyList<string> SopClassUids { get; init; } = [];

    /// <summary>
    /// Whether one instance falls under the selection. An instance without a study date is outside any date bound,
    /// and one without a modality or body part is outside a non-empty list of them: an agreement never releases
    /// more than it names.
    /// </summary>
    public bool Matches(InstanceIndexRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Modalities.Count > 0 && !Contains(Modalities, record.Modality))
        {
            return false;
        }

        if (BodyParts.Count > 0 && !Contains(BodyParts, record.BodyPart))
        {
            return false;
        }

        if (SopClassUids.Count > 0 && !SopClassUids.Contains(record.SopClassUid, StringComparer.Ordinal))
        {
            return false;
        }

        if (StudyDateFrom is not null || StudyDateTo is not null)
        {
            if (!DateOnly.TryParseExact(record.StudyDate, "yyyy-MM-dd", out var date))
            {
                return false;
            }

            if (date < StudyDateFrom || date > StudyDateTo)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(IReadOnlyList<string> list, string? value) =>
        value is not null && list.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
}
