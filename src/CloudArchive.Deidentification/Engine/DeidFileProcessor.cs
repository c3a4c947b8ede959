using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// De-identifies files on disk: reads one instance, applies the <see cref="Deidentifier"/>, writes
/// <c>&lt;new SOP Instance UID&gt;.dcm</c> (never a name derived from the input, which may carry identifiers) in the
/// input's transfer syntax, and optionally the JSON report next to it in a report directory.
/// </summary>
public sealed class DeidFileProcessor
{
    /// <summary>The input's transfer syntax and sequence-length encoding (the codec's defaults), with a write buffer
    /// below the large-object-heap threshold: the default 1 MiB buffer is allocated and zeroed for every file, which
    /// dominated writing a typical 40 KB instance. The bytes written are the same, except for the deflated transfer
    /// syntax, where buffer flushes shape the deflate blocks: that one keeps the codec's default so its output stays
    /// byte-for-byte what it was.</summary>
    private static readonly DicomWriterOptions WriterOptions = new() { BufferSize = 64 * 1024 };

    private readonly Deidentifier _deidentifier;

    /// <summary>Creates a processor.</summary>
    public DeidFileProcessor(Deidentifier deidentifier)
    {
        this._deidentifier = deidentifier ?? throw new ArgumentNullException(nameof(deidentifier));
    }

    /// <summary>Processes one file. Refused and failed inputs write no DICOM output; their report says why.</summary>
    /// <param name="inputPath">The input file.</param>
    /// <param name="outputDirectory">Where the de-identified file goes (created if needed).</param>
    /// <param name="reportDirectory">Where the JSON report goes, or null for none.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The report and the output path (null when nothing was written).</returns>
    public async Task<(InstanceReport Report, string? OutputPath)> ProcessAsync(string inputPath, string outputDirectory, string? reportDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(outputDirectory);
        DicomFile file;
        try
        {
            file = await DicomFile.OpenAsync(inputPath, null, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomFormatException e)
        {
            return (FailedReport(DeidFailure.UnreadableInput, "not readable as DICOM: " + e.GetType().Name), null);
        }

        InstanceReport report;
        string? output;
        await using (file.ConfigureAwait(false))
        {
            var (result, failed) = await TryDeidentifyAsync(file, outputDirectory, cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                // Nothing was de-identified: no DICOM output and no report file, only the returned report.
                return (failed!, null);
            }

            report = result.Report;
            try
            {
                output = result.Succeeded ? await WriteOutputAsync(file, report, outputDirectory, cancellationToken).ConfigureAwait(false) : null;
            }
            finally
            {
                foreach (var s in result.SpoolFiles)
                {
                    TryDelete(s);
                }
            }
        }

        if (reportDirectory is not null)
        {
            await WriteReportAsync(report, reportDirectory, cancellationToken).ConfigureAwait(false);
        }

        return (report, output);
    }

    /// <summary>The de-identifier's result, or (when it threw a typed or a value error) a failed report instead.</summary>
    private async Task<(DeidResult? Result, InstanceReport? Failed)> TryDeidentifyAsync(DicomFile file, string outputDirectory, CancellationToken cancellationToken)
    {
        try
        {
            return (await _deidentifier.DeidentifyAsync(file, outputDirectory, cancellationToken).ConfigureAwait(false), null);
        }
        catch (DeidentificationException e)
        {
            return (null, FailedReport(e.Failure, e.Message));
        }
        catch (Exception e) when (e is DicomFormatException or DicomValueException or InvalidOperationException)
        {
            // One malformed value must not stop a batch; the instance is reported as failed, nothing is written.
            return (null, FailedReport(DeidFailure.Unsupported, "could not be de-identified: " + e.GetType().Name));
        }
    }

    /// <summary>Writes the de-identified instance under its output name; returns the path, or null (and marks the
    /// report failed) when the dataset cannot be encoded.</summary>
    private async Task<string?> WriteOutputAsync(DicomFile file, InstanceReport report, string outputDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var output = Path.Combine(outputDirectory, FileNameFor(report));

        // Unique per write: two inputs holding the same instance (one SOP Instance UID in two transfer
        // syntaxes) may be processed concurrently; the last complete file wins, never a torn one.
        var tmp = output + "." + Guid.NewGuid().ToString("N") + ".partial";
        try
        {
            // CreateNew, not Create: the name is unique, and Create truncates the new file (ftruncate), which
            // on ext4 (auto_da_alloc) turns every close into a synchronous write-back of the file.
            var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (fs.ConfigureAwait(false))
            {
                await file.WriteAsync(fs, file.TransferSyntax.IsDeflated ? null : WriterOptions, cancellationToken).ConfigureAwait(false);
            }

            File.Move(tmp, output, overwrite: true);
            return output;
        }
        catch (Exception e) when (e is InvalidOperationException or DicomFormatException or DicomValueException)
        {
            TryDelete(tmp);
            report.Outcome = InstanceOutcome.Failed;
            report.Failure = DeidFailure.Unsupported;
            report.Reason = "could not be written: " + e.GetType().Name;
            return null;
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Writes <c>&lt;output SOP Instance UID&gt;.json</c>; an instance without one gets no report file.</summary>
    private static async Task WriteReportAsync(InstanceReport report, string reportDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(reportDirectory);
        var reportName = report.OutputSopInstanceUid is { Length: > 0 } uid ? uid + ".json" : null;
        if (reportName is not null)
        {
            var fs = new FileStream(Path.Combine(reportDirectory, reportName), FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (fs.ConfigureAwait(false))
            {
                await report.WriteAsync(fs, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private InstanceReport FailedReport(DeidFailure failure, string reason)
    {
        var report = _deidentifier.NewReport();
        report.Outcome = InstanceOutcome.Failed;
        report.Failure = failure;
        report.Reason = reason;
        return report;
    }

    private string FileNameFor(InstanceReport report)
    {
        var uid = report.OutputSopInstanceUid;
        return uid is { Length: > 0 } && uid.All(c => char.IsAsciiDigit(c) || c == '.')
            ? uid + ".dcm"
            : _deidentifier.Mapper.Token("file-name", Guid.NewGuid().ToString("N"), 26) + ".dcm";
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a spool file that cannot be deleted now is left in the temp directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
