namespace CloudArchive.Cli.Commands.Dev;

/// <summary>Where things live for <c>dev up</c>: the checkout (found by <c>CloudArchive.sln</c>) and its <c>.cloudarchive</c> state directory.</summary>
internal sealed class DevPaths
{
    public const string SolutionFileName = "CloudArchive.sln";

    private DevPaths(string root, string? state)
    {
        Root = root;
        State = state is null ? Path.Combine(root, Common.ArchiveSettings.StateDirectoryName) : Path.GetFullPath(state);
    }

    /// <summary>The repository root.</summary>
    public string Root { get; }

    /// <summary><c>.cloudarchive</c> under the root: Azurite data, local key, logs, dev.env.</summary>
    public string State { get; }

    public string AzuriteData => Path.Combine(State, "azurite");

    public string Keys => Path.Combine(State, "keys");

    /// <summary>The development token issuer's signing key directory (loopback development only, insecure).</summary>
    public string DevIssuer => Path.Combine(State, "dev-issuer");

    public string Logs => Path.Combine(State, "logs");

    /// <summary>Where <c>tools/install-cli.sh</c> puts the native <c>cloudarchive</c> binary by default.</summary>
    public string CliBin => Path.Combine(State, "bin");

    public string DevEnvFile => Path.Combine(State, Common.ArchiveSettings.DevEnvironmentFileName);

    public string AzuriteScript => Path.Combine(Root, "node_modules", "azurite", "dist", "src", "azurite.js");

    public string Samples => Path.Combine(Root, "testdata", "dicom");

    /// <summary>Finds the checkout from <paramref name="start"/> (default: the working directory), then from the CLI's binaries.</summary>
    /// <param name="start">Where to start looking (a directory inside the checkout).</param>
    /// <param name="state">Another state directory instead of <c>.cloudarchive</c> in the checkout (tests, several archives side by side).</param>
    public static DevPaths Find(string? start = null, string? state = null)
    {
        foreach (var from in new[] { start ?? Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                {
                    return new DevPaths(dir.FullName, state);
                }
            }
        }

        throw new Common.UsageException($"`dev up` runs from a CloudArchive checkout: no {SolutionFileName} above {start ?? Environment.CurrentDirectory}.");
    }
}
