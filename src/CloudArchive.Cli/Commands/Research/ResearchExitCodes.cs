namespace CloudArchive.Cli.Commands.Research;

/// <summary>Exit codes of the <c>research</c> commands.</summary>
internal static class ResearchExitCodes
{
    /// <summary>Everything fetched and verified.</summary>
    public const int Success = 0;

    /// <summary>Some files failed verification (size or DICM preamble).</summary>
    public const int VerificationFailed = 1;

    /// <summary>The API refused (401, 403, 404, ...) or answered nonsense.</summary>
    public const int Refused = 4;

    /// <summary>The API could not be reached, or a transfer broke off (run again to resume).</summary>
    public const int Unreachable = 5;
}
