namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>Process exit codes of the <c>dicom</c> commands (also listed in their help text).</summary>
public static class DicomExitCodes
{
    /// <summary>The command completed.</summary>
    public const int Success = 0;

    /// <summary>The input is not valid DICOM (a <see cref="CloudArchive.Dicom.DicomFormatException"/>).</summary>
    public const int InvalidDicom = 1;

    /// <summary>The arguments are wrong (unknown transfer syntax, conflicting options).</summary>
    public const int Usage = 2;

    /// <summary>A file could not be opened, read or written.</summary>
    public const int IoError = 3;

    /// <summary>The requested operation is not possible for this input (e.g. decoding compressed pixel data).</summary>
    public const int Unsupported = 4;

    /// <summary>The operation was cancelled.</summary>
    public const int Cancelled = 130;
}
