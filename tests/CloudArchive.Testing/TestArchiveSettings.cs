namespace CloudArchive.Testing;

/// <summary>
/// The settings every test host that composes the archive (<c>AddCloudArchive</c>) needs: a storage account, the local
/// key provider with its directory, the policies. Shared by the function app's and the storage adapters' tests.
/// </summary>
public static class TestArchiveSettings
{
    /// <summary>A new, existing, empty local key directory (the local provider refuses a missing one; an empty one gets a key on first use).</summary>
    public static string NewKeyDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ca-test-kek-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>The development tenant every test host trusts (the development token issuer's default).</summary>
    public const string TenantId = "00000000-0000-4000-8000-00000000c1a0";

    /// <summary>The development audience (the development token issuer's default).</summary>
    public const string Audience = "api://cloudarchive-dev";

    /// <summary>The development token issuer's key directory of a test host: inside its key directory, so it goes with it.</summary>
    public static string DevelopmentIssuerDirectory(string keyDirectory) => Path.Combine(keyDirectory, "dev-issuer");

    /// <summary>
    /// Storage, keys, policies and authentication; containers keep their defaults unless the caller adds names. The
    /// app trusts the loopback development token issuer (its key directory is created inside
    /// <paramref name="keyDirectory"/>), as <c>dev up</c> configures it: tests mint tokens with
    /// <c>DevelopmentTokenIssuer</c> and the app validates them as it validates Entra ID's.
    /// </summary>
    public static Dictionary<string, string?> For(string connectionString, string keyDirectory)
    {
        var root = RepositoryPaths.FindRoot();
        Directory.CreateDirectory(DevelopmentIssuerDirectory(keyDirectory));
        return new Dictionary<string, string?>
        {
            ["CloudArchive:Auth:TenantId"] = TenantId,
            ["CloudArchive:Auth:Audience"] = Audience,
            ["CloudArchive:Auth:DevelopmentIssuerKeyDirectory"] = DevelopmentIssuerDirectory(keyDirectory),
            ["LocalHost:Enabled"] = "true",
            ["CloudArchive:Storage:ConnectionString"] = connectionString,
            ["CloudArchive:Keys:Provider"] = "Local",
            ["CloudArchive:Keys:LocalKeyFile"] = keyDirectory,
            ["CloudArchive:Policies:RetentionFiles"] = Path.Combine(root, "data/policies/retention/default.json"),
            ["CloudArchive:Policies:MinimizationFile"] = Path.Combine(root, "data/policies/minimization/default.json"),
        };
    }

    /// <summary>Deletes a directory made by <see cref="NewKeyDirectory"/>, if it still exists.</summary>
    public static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
