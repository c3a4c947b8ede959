namespace CloudArchive.Research.Consent;

/// <summary>
/// A consent document, CSV row or FHIR resource that cannot be read. Says where (a JSON path, CSV line and column)
/// and why, never the value: consent sources carry patient identifiers.
/// </summary>
public sealed class ConsentFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">Where (JSON path, <c>line 4, column period_end</c>, <c>entry[2].resource.status</c>).</param>
    /// <param name="reason">What is wrong (never the offending value).</param>
    public ConsentFormatException(string location, string reason)
        : base($"Consent {location}: {reason}")
    {
        Location = location;
        Reason = reason;
    }

    /// <summary>Where the problem is.</summary>
    public string Location { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
