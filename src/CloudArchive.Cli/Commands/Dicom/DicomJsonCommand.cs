using System.CommandLine;
using System.Text;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>
/// <c>cloudarchive dicom json FILE [--no-bulk] [--bulk-uri-base URI] [--bulk-threshold N] [--compact]</c>:
/// the dataset in the DICOM JSON Model (PS3.18 Annex F).
/// </summary>
public static class DicomJsonCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "DICOM Part 10 file (or a raw dataset without File Meta)" };
        var noBulk = new Option<bool>("--no-bulk") { Description = "Leave bulk data attributes (large binary values, encapsulated pixel data) out" };
        var bulkBase = new Option<string?>("--bulk-uri-base") { Description = "BulkDataURI = BASE/PATH (PATH = tag, with SEQTAG/ITEM/ before it for nested values); default FILE-URI#PATH" };
        var threshold = new Option<int>("--bulk-threshold") { Description = "Binary values longer than this many bytes become bulk data", DefaultValueFactory = _ => 1024 };
        var compact = new Option<bool>("--compact") { Description = "No indentation" };
        var command = new Command("json", "Write the dataset as PS3.18 DICOM JSON (vr, Value / InlineBinary / BulkDataURI; PN as Alphabetic/Ideographic/Phonetic). Exit codes: 0 ok, 1 invalid DICOM, 2 bad arguments, 3 I/O error.")
        {
            file,
            noBulk,
            bulkBase,
            threshold,
            compact,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var input = parse.GetValue(file)!;
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            return DicomCommandRunner.RunAsync(error, input.Name, async () =>
            {
                var bulkThreshold = parse.GetValue(threshold);
                if (bulkThreshold < 0)
                {
                    throw new UsageException("--bulk-threshold must not be negative");
                }

                var options = new DicomJsonOptions
                {
                    OmitBulkData = parse.GetValue(noBulk),
                    BulkDataUriBase = parse.GetValue(bulkBase),
                    BulkDataThreshold = bulkThreshold,
                    SourceUri = new Uri(input.FullName).AbsoluteUri,
                    Indented = !parse.GetValue(compact),
                };
                var dicom = await DicomReader.ReadFileAsync(input.FullName, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (dicom.ConfigureAwait(false))
                {
                    // The JSON holds no bulk values, so buffering it before the first byte reaches the
                    // console also means a failure half-way never leaves half a document on stdout.
                    using var buffer = new MemoryStream();
                    await DicomJsonOutput.WriteAsync(dicom.Dataset, buffer, options, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).AsMemory(), cancellationToken).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
