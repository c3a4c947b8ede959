using CloudArchive.Core.Identity;

namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>
/// Who may store instances through STOW-RS, deny by default: the <c>Archive.Upload</c> app role, the role modalities
/// and gateways are given. Groups play no part (nothing is decided per recipient). The HTTP host only carries it out.
/// </summary>
public static class StowAccessPolicy
{
    /// <summary>The role STOW-RS needs.</summary>
    public const string RequiredRole = ArchiveRoles.ArchiveUpload;

    /// <summary>The audit and error code of a refusal.</summary>
    public const string MissingRoleCode = "missing-role";

    /// <summary>Whether <paramref name="principal"/> may store instances.</summary>
    public static bool CanStore(ArchivePrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.HasRole(RequiredRole);
    }
}
