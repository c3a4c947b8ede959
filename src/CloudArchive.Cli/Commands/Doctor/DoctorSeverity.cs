namespace CloudArchive.Cli.Commands.Doctor;

/// <summary>How a doctor check ended.</summary>
internal enum DoctorSeverity
{
    /// <summary>Fine.</summary>
    Ok,

    /// <summary>Works, but not fit for production (e.g. the insecure local key) or something optional is missing.</summary>
    Warn,

    /// <summary>The archive cannot work like this; doctor exits non-zero.</summary>
    Fail,

    /// <summary>Does not apply to this archive (e.g. a platform control of Azure checked against the local emulator).</summary>
    Skipped,
}
