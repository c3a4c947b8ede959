namespace CloudArchive.Research.Agreements;

/// <summary>An agreement document (or a request to create one) that breaks the schema; says where and why.</summary>
public sealed class AgreementFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">A JSON path or option name (never a value).</param>
    /// <param name="reason">What is wrong.</param>
    public AgreementFormatException(string location, string reason)
        : base($"Agreement {location}: {reason}")
    {
        Location = location;
        Reason = reason;
    }

    /// <summary>Where the problem is.</summary>
    public string Location { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
