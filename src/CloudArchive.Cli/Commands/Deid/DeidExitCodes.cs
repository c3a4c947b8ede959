namespace CloudArchive.Cli.Commands.Deid;

/// <summary>Process exit codes of <c>cloudarchive deid</c> (also listed in its help text).</summary>
public static class DeidExitCodes
{
    /// <summary>Every input was de-identified.</summary>
    public const int Success = 0;

    /// <summary>Wrong arguments, or an invalid profile, option list or secret.</summary>
    public const int Usage = 2;

    /// <summary>An input or output path could not be read or written.</summary>
    public const int IoError = 3;

    /// <summary>At least one input was refused (pixel policy) or failed; the others were written.</summary>
    public const int SomeNotDeidentified = 5;

    /// <summary>The run was cancelled.</summary>
    public const int Cancelled = 130;
}
