namespace CloudArchive.Cli.Commands.Common;

/// <summary>
/// The exit codes every command shares (shown by <c>cloudarchive --help</c>). A command documents in its own help
/// which of them it uses and for what.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Done, nothing needs attention.</summary>
    public const int Success = 0;

    /// <summary>Done, but something needs attention (a file quarantined or invalid, tampering found, a poison message).</summary>
    public const int Attention = 1;

    /// <summary>A usage or configuration error: an unknown command or option, a missing or invalid value, bad settings.</summary>
    public const int Usage = 2;

    /// <summary>Storage, the network or a file could not be read or written.</summary>
    public const int Unavailable = 3;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>The text the root help shows.</summary>
    public const string Legend =
        "Exit codes: 0 done; 1 done, but something needs attention; 2 usage or configuration error (also an unknown command); " +
        "3 storage, network or file error; 4 and 5 refusals named in each command's help; 130 interrupted.";
}
