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

    /// <summary>Storage, keys and policies; containers keep their defaults unless the caller adds names.</summary>
    public static Dictionary<string, string?> For(string connectionString, string keyDirectory)
    {
        var root = RepositoryPaths.FindRoot();
        return new Dictionary<string, string?>
        {
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
