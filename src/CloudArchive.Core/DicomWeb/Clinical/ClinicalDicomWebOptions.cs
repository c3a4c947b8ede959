namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>Settings of the clinical DICOMweb root <c>/api/dicomweb</c> (section <c>CloudArchive:DicomWeb</c>).</summary>
public sealed class ClinicalDicomWebOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudArchive:DicomWeb";

    /// <summary>The request header that states the purpose of use.</summary>
    public const string PurposeOfUseHeader = "X-Purpose-Of-Use";

    /// <summary>
    /// The purposes of use (HL7 v3 PurposeOfUse codes) a clinical request may state, separated by <c>;</c> or
    /// <c>,</c>. Default <c>TREAT;ETREAT;HOPERAT;HQUALIMP;PATRQT</c>: treatment, emergency treatment, healthcare
    /// operations, quality improvement and the patient's own request. Research (<c>HRESCH</c>) is deliberately absent:
    /// researchers use de-identified copies under an agreement.
    /// </summary>
    public string PurposesOfUse { get; set; } = "TREAT;ETREAT;HOPERAT;HQUALIMP;PATRQT";

    /// <summary>The largest <c>limit</c> a query may ask for, and the page size when it asks for none. Default 200.</summary>
    public int MaxResults { get; set; } = 200;

    /// <summary>
    /// The most instances one query may select through the keyed index before matching; a query selecting more is
    /// refused (narrow it). Default 20000.
    /// </summary>
    public int MaxCandidates { get; set; } = 20_000;

    /// <summary>The configured purposes, parsed (upper-case codes).</summary>
    public IReadOnlySet<string> AllowedPurposes =>
        PurposesOfUse.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>Validates the values; returns the problems (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var purposes = AllowedPurposes;
        if (purposes.Count == 0)
        {
            problems.Add($"{Section}:PurposesOfUse must list at least one purpose of use code.");
        }

        foreach (var code in purposes)
        {
            if (!ClinicalAccessPolicy.IsPurposeCode(code))
            {
                problems.Add($"{Section}:PurposesOfUse: '{code}' is not an upper-case purpose of use code (A-Z, 2-16 letters).");
            }
        }

        if (MaxResults is < 1 or > 10_000)
        {
            problems.Add($"{Section}:MaxResults must be between 1 and 10000.");
        }

        if (MaxCandidates is < 1 or > 1_000_000)
        {
            problems.Add($"{Section}:MaxCandidates must be between 1 and 1000000.");
        }

        return problems;
    }
}
