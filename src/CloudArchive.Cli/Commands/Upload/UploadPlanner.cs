namespace CloudArchive.Cli.Commands.Upload;

/// <summary>
/// Decides what a gateway would send: files named on the command line are sent as they are (even broken
/// ones — the archive, not the uploader, decides what is valid); directories are walked recursively for
/// <c>*.dcm</c> files and extension-less files (many modalities write no extension), skipping
/// <c>DICOMDIR</c> (a media index, not an instance) and hidden files.
/// </summary>
internal static class UploadPlanner
{
    public static IReadOnlyList<UploadFile> Plan(IEnumerable<string> paths, string prefix)
    {
        var files = new List<UploadFile>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                Add(files, names, path, prefix + Path.GetFileName(path));
            }
            else if (Directory.Exists(path))
            {
                var root = Path.GetFullPath(path);
                foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
                             .Where(IsInstanceCandidate)
                             .Order(StringComparer.Ordinal))
                {
                    var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                    Add(files, names, file, prefix + Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)) + "/" + relative);
                }
            }
            else
            {
                throw new Common.UsageException($"'{path}' does not exist.");
            }
        }

        return files;
    }

    private static bool IsInstanceCandidate(string file)
    {
        var name = Path.GetFileName(file);
        if (string.Equals(name, "DICOMDIR", StringComparison.OrdinalIgnoreCase) || name.StartsWith('.'))
        {
            return false;
        }

        var extension = Path.GetExtension(name);
        return extension.Length == 0 || string.Equals(extension, ".dcm", StringComparison.OrdinalIgnoreCase);
    }

    private static void Add(List<UploadFile> files, HashSet<string> names, string path, string blobName)
    {
        if (names.Add(blobName))
        {
            files.Add(new UploadFile(Path.GetFullPath(path), blobName, new FileInfo(path).Length));
        }
        else
        {
            throw new Common.UsageException($"Two inputs map to the same blob name '{blobName}'; use --prefix to upload them separately.");
        }
    }
}
