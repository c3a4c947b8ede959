namespace CloudArchive.Cli.Commands.Common;

/// <summary>
/// The exit codes every command shares (shown by <c>cloudarchive --help</c>). A command documents in its own help
/// which of them it uses and for what.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Done, nothing needs attention.</summary>
    public const int Success = 0;

    /// <summary>
    /// Done, but something needs attention: a file quarantined, refused or invalid, a download that failed
    /// verification, tampering found, a poison message, rows with errors.
    /// </summary>
    public const int Attention = 1;

    /// <summary>A usage or configuration error: an unknown command or option, a missing or invalid value, bad settings.</summary>
    public const int Usage = 2;

    /// <summary>Storage, the network, an API or a file could not be reached, read or written (a rerun may succeed).</summary>
    public const int Unavailable = 3;

    /// <summary>
    /// Understood but refused, or what it names does not exist: an API's 401/403/404, an agreement not in force or
    /// not found, an id taken, a legal hold, a DICOM feature not supported.
    /// </summary>
    public const int Refused = 4;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>The text the root help shows.</summary>
    public const string Legend =
        "Exit codes (every command): 0 done; 1 done, but something needs attention; 2 usage or configuration error (also an unknown command); " +
        "3 storage, network, API or file unavailable; 4 refused or not found; 130 interrupted.";
}
