using CloudArchive.Dicom;

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

    /// <summary>
    /// Splits the plan into what to send and what is obviously not DICOM (empty, or neither a Part 10 header nor a
    /// plausible first element), which is skipped with a reason unless <paramref name="force"/>. A broken or truncated
    /// DICOM file is still sent: judging it is the archive's job, and the archive says why it refused it.
    /// </summary>
    public static async Task<(IReadOnlyList<UploadFile> Send, IReadOnlyList<UploadOutcome> Skipped)> ScreenAsync(IReadOnlyList<UploadFile> files, bool force, CancellationToken cancellationToken)
    {
        if (force)
        {
            return (files, []);
        }

        var send = new List<UploadFile>();
        var skipped = new List<UploadOutcome>();
        var head = new byte[DicomSniffer.HeadLength];
        foreach (var file in files)
        {
            var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            int read;
            await using (stream.ConfigureAwait(false))
            {
                read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }

            switch (DicomSniffer.Classify(head.AsSpan(0, read)))
            {
                case DicomSniffResult.Empty:
                    skipped.Add(new UploadOutcome(file, UploadOutcomeKind.Skipped, "empty", "the file is empty"));
                    break;
                case DicomSniffResult.NotDicom:
                    skipped.Add(new UploadOutcome(file, UploadOutcomeKind.Skipped, "not-dicom", "no DICOM header (no \"DICM\" after a 128-byte preamble, no plausible first element)"));
                    break;
                default:
                    send.Add(file);
                    break;
            }
        }

        return (send, skipped);
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
