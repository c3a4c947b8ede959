namespace CloudArchive.Cli.Commands.Doctor;

/// <summary>
/// What one probe of a deployed archive found: whether the platform control is in place (<see cref="Hardened"/>), what
/// was seen, or why it could not be read with the caller's credential and network.
/// </summary>
internal sealed record PlatformReading(bool? Hardened, string Observed, bool Applies = true)
{
    /// <summary>The control is in place.</summary>
    public static PlatformReading InPlace(string observed) => new(true, observed);

    /// <summary>The control is missing.</summary>
    public static PlatformReading Missing(string observed) => new(false, observed);

    /// <summary>The control does not apply to this archive (e.g. no Key Vault with a local KEK).</summary>
    public static PlatformReading NotApplicable(string why) => new(null, why, Applies: false);

    /// <summary>The property could not be read (no permission, no network path, an unexpected answer).</summary>
    public static PlatformReading Unreadable(string why) => new(null, why);
}
