namespace CloudArchive.Functions.Research;

/// <summary>Settings of the researcher API (section <c>CloudArchive:ResearchApi</c>).</summary>
public sealed class ResearchApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudArchive:ResearchApi";

    /// <summary>Sustained requests per minute per principal (token bucket refill rate). Default 120.</summary>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>Requests a principal may make in a burst (token bucket size). Default 30.</summary>
    public int Burst { get; set; } = 30;

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

        return problems;
    }
}
