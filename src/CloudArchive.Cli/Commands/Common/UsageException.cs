namespace CloudArchive.Cli.Commands.Common;

/// <summary>
/// The command cannot run as configured/invoked, or an argument is invalid in a way the parser cannot see (e.g. an unknown
/// transfer syntax); the message tells the user what to do (exit code 2).
/// </summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
