namespace CloudArchive.Functions.Research;

/// <summary>Settings of the researcher API (section <c>CloudArchive:ResearchApi</c>).</summary>
public sealed class ResearchApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudArchive:ResearchApi";

    /// <summary>The variable App Service sets to <c>True</c> when App Service Authentication runs in front of the app.</summary>
    public const string AppServiceAuthVariable = "WEBSITE_AUTH_ENABLED";

    /// <summary>Sustained requests per minute per principal or client address (token bucket refill rate). Default 120.</summary>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>Requests a principal or client address may make in a burst (token bucket size). Default 30.</summary>
    public int Burst { get; set; } = 30;

    /// <summary>
    /// The header whose last entry is the client address (e.g. <c>X-Forwarded-For</c> when the app is reachable only
    /// through App Service's front end); unset: the socket peer. See <see cref="ClientAddressResolver"/>.
    /// </summary>
    public string? ForwardedHeader { get; set; }

    /// <summary>
    /// True when App Service Authentication runs in front of the app (<see cref="AppServiceAuthVariable"/>): then a
    /// <c>X-MS-CLIENT-PRINCIPAL</c> header must name the same caller as the token. Set from that variable, never bound
    /// from this section (the setter is internal, so configuration binding cannot reach it).
    /// </summary>
    public bool AppServiceAuthEnabled { get; internal set; }

    /// <summary>Most results one research QIDO-RS response holds (also the page size without <c>limit</c>). Default 1000.</summary>
    public int DicomWebMaxResults { get; set; } = 1000;

    /// <summary>Validates the values; returns the problems (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (RequestsPerMinute is < 1 or > 60_000)
        {
            problems.Add($"{Section}:RequestsPerMinute must be between 1 and 60000.");
        }

        if (Burst is < 1 or > 10_000)
        {
            problems.Add($"{Section}:Burst must be between 1 and 10000.");
        }

        if (ForwardedHeader is { } header && (header.Length > 64 || !header.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            problems.Add($"{Section}:ForwardedHeader must be a header name (letters, digits and hyphens).");
        }

        if (DicomWebMaxResults is < 1 or > 100_000)
        {
            problems.Add($"{Section}:DicomWebMaxResults must be between 1 and 100000.");
        }

        return problems;
    }
}
