namespace CloudArchive.Research.Export;

/// <summary>Best-effort removal of the export's temporary files (de-identified copies only, under the temp root).</summary>
internal static class ExportTempFiles
{
    /// <summary>Deletes a run's temporary directory and everything in it, ignoring I/O and access failures.</summary>
    public static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the directory holds de-identified copies only and lives under the temp root.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes one temporary file, ignoring I/O and access failures.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
