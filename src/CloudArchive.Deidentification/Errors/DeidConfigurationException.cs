namespace CloudArchive.Deidentification;

/// <summary>A profile, option list, secret or pixel rule is invalid. Carries where (a JSON path or argument name) and
/// why; never a secret or a patient value.</summary>
public sealed class DeidConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeidConfigurationException(string location, string reason)
        : base($"{location}: {reason}")
    {
        Location = location;
        Reason = reason;
    }

    /// <summary>Where the problem is, e.g. <c>$.overrides[2].action</c> or <c>options</c>.</summary>
    public string Location { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
