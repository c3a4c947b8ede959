namespace CloudArchive.Research.Consent;

/// <summary>FHIR consent-state-codes for <see cref="ConsentStatus"/>.</summary>
public static class ConsentStatusCodes
{
    /// <summary>The FHIR code, e.g. <c>entered-in-error</c>.</summary>
    public static string Code(ConsentStatus status) => status switch
    {
        ConsentStatus.Draft => "draft",
        ConsentStatus.Proposed => "proposed",
        ConsentStatus.Active => "active",
        ConsentStatus.Rejected => "rejected",
        ConsentStatus.Inactive => "inactive",
        ConsentStatus.EnteredInError => "entered-in-error",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Parses a FHIR code (exact, lowercase as FHIR defines them).</summary>
    public static bool TryParse(string? code, out ConsentStatus status)
    {
        (var ok, status) = code switch
        {
            "draft" => (true, ConsentStatus.Draft),
            "proposed" => (true, ConsentStatus.Proposed),
            "active" => (true, ConsentStatus.Active),
            "rejected" => (true, ConsentStatus.Rejected),
            "inactive" => (true, ConsentStatus.Inactive),
            "entered-in-error" => (true, ConsentStatus.EnteredInError),
            _ => (false, default),
        };
        return ok;
    }
}
