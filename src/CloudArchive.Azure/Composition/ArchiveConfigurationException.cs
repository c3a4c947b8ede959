namespace CloudArchive.Azure.Composition;

/// <summary>The configuration is invalid; the message lists every problem, one per line, naming the setting.</summary>
public sealed class ArchiveConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="what">What was being configured (e.g. "archive").</param>
    /// <param name="problems">One sentence per problem.</param>
    public ArchiveConfigurationException(string what, IReadOnlyList<string> problems)
        : base($"Invalid {what} configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Problems = problems;
    }

    /// <summary>The problems, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
