namespace CloudArchive.Core.Identity;

/// <summary>
/// The archive's app roles: the <c>value</c> of each app role on the archive's Entra ID app registration, carried in the
/// access token's <c>roles</c> claim (docs/security.md). Nothing is granted without one: a signed-in caller with no
/// role can do nothing.
/// </summary>
public static class ArchiveRoles
{
    /// <summary>Researchers: list the agreements that name them and download their de-identified copies.</summary>
    public const string ResearchRead = "Research.Read";

    /// <summary>Modalities and gateways that upload instances.</summary>
    public const string ArchiveUpload = "Archive.Upload";

    /// <summary>Clinical readers of the identified archive.</summary>
    public const string ArchiveRead = "Archive.Read";

    /// <summary>Operators: agreements, consents, exports, retention.</summary>
    public const string ArchiveAdmin = "Archive.Admin";
}
