using CloudArchive.Cli.Commands.Common;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>
/// Runs a command body and turns every expected failure into one clear line on stderr and a
/// distinct exit code, so users never see a stack trace.
/// </summary>
internal static class DicomCommandRunner
{
    /// <summary>Runs <paramref name="body"/>; returns its exit code or the code of the failure.</summary>
    public static async Task<int> RunAsync(TextWriter error, string inputForMessages, Func<Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (DicomFormatException ex)
        {
            var where = ex.Tag is { } tag ? $" at byte offset {ex.Offset}, tag {tag}" : ex.Offset >= 0 ? $" at byte offset {ex.Offset}" : string.Empty;
            await error.WriteLineAsync($"error: {inputForMessages} is not valid DICOM: {ex.Reason}{where}").ConfigureAwait(false);
            return ExitCodes.Attention;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("error: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            await error.WriteLineAsync($"error: file not found: {inputForMessages}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot access {inputForMessages}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            await error.WriteLineAsync($"error: {inputForMessages}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }
}
