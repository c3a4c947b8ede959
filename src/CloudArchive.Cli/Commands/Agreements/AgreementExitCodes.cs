namespace CloudArchive.Cli.Commands.Agreements;

/// <summary>Exit codes of the <c>agreements</c> and <c>consents</c> commands (besides the shared 0, 2, 3, 130).</summary>
public static class AgreementExitCodes
{
    /// <summary>The agreement or consent does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>Refused: id taken, already closed, changed concurrently, or an import with row errors.</summary>
    public const int Refused = 5;
}
