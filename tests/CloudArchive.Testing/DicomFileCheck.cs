using CloudArchive.Dicom;

namespace CloudArchive.Testing;

/// <summary>Checks that a file is a readable DICOM Part 10 file: with our reader always, and with dcmtk's <c>dcmdump -q</c> when installed.</summary>
public static class DicomFileCheck
{
    /// <summary>Throws (failing the test) unless the file parses; returns whether the dcmdump oracle also ran.</summary>
    public static async Task<bool> AssertParsesAsync(string path, CancellationToken cancellationToken)
    {
        await using (var file = await DicomFile.OpenAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!file.HadFileMetaInformation)
            {
                throw new InvalidOperationException($"{path} has no Part 10 file meta information.");
            }
        }

        if (!ExternalTool.Exists("dcmdump"))
        {
            return false;
        }

        var (exitCode, stdout, stderr) = await ExternalTool.RunAsync("dcmdump", ["-q", path], cancellationToken).ConfigureAwait(false);
        if (exitCode != 0 || stderr.Contains("E: ", StringComparison.Ordinal) || !stdout.Contains("(0002,0010)", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"dcmdump -q failed on {path} ({exitCode}): {stderr}");
        }

        return true;
    }
}
