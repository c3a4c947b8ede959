using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>
/// <c>cloudarchive dicom convert IN OUT --transfer-syntax source|implicit|explicit|big|deflated|UID
/// [--undefined-lengths | --defined-lengths]</c>: read and rewrite a file with the project's codec.
/// </summary>
public static class DicomConvertCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var input = new Argument<FileInfo>("IN") { Description = "DICOM file to read" };
        var output = new Argument<FileInfo>("OUT") { Description = "Part 10 file to write (replaced only once it is complete)" };
        var syntax = new Option<string>("--transfer-syntax", "-t")
        {
            Description = "Target: source (keep the input's), implicit, explicit, big, deflated, or a transfer syntax UID",
            DefaultValueFactory = _ => "source",
        };
        var undefined = new Option<bool>("--undefined-lengths") { Description = "Write every sequence and item with undefined length" };
        var defined = new Option<bool>("--defined-lengths") { Description = "Write every sequence and item with a defined length" };
        var command = new Command("convert", "Rewrite a DICOM file in another transfer syntax (encapsulated pixel data is passed through, never decoded). Exit codes: 0 ok, 1 invalid DICOM, 2 bad arguments, 3 I/O error, 4 refused: not possible for this input.")
        {
            input,
            output,
            syntax,
            undefined,
            defined,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var inFile = parse.GetValue(input)!;
            var outFile = parse.GetValue(output)!;
            return DicomCommandRunner.RunAsync(parse.InvocationConfiguration.Error, inFile.Name, async () =>
            {
                if (parse.GetValue(undefined) && parse.GetValue(defined))
                {
                    throw new UsageException("--undefined-lengths and --defined-lengths exclude each other");
                }

                var target = TransferSyntaxChoice.Parse(parse.GetValue(syntax) ?? "source");
                var lengths = parse.GetValue(undefined) ? SequenceLengthEncoding.Undefined
                    : parse.GetValue(defined) ? SequenceLengthEncoding.Defined
                    : SequenceLengthEncoding.AsRead;
                await ConvertAsync(inFile.FullName, outFile.FullName, target, lengths, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>Reads <paramref name="inPath"/> and writes it to <paramref name="outPath"/> via a temporary file in the same folder.</summary>
    /// <param name="inPath">Input file.</param>
    /// <param name="outPath">Output file; replaced atomically once the new file is complete.</param>
    /// <param name="target">Target transfer syntax, or null for the input's own.</param>
    /// <param name="lengths">How sequence and item lengths are written.</param>
    /// <param name="cancellationToken">Cancels the conversion.</param>
    public static async Task ConvertAsync(string inPath, string outPath, TransferSyntax? target, SequenceLengthEncoding lengths, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(outPath)) ?? ".";
        var temp = Path.Combine(folder, $".{Path.GetFileName(outPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var dicom = await DicomReader.ReadFileAsync(inPath, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (dicom.ConfigureAwait(false))
            {
                var ts = target ?? dicom.TransferSyntax;
                if (ts.IsEncapsulated && !ts.Equals(dicom.TransferSyntax))
                {
                    throw new NotSupportedException($"converting to {ts} would need a pixel data encoder; only a native transfer syntax or the input's own is possible");
                }

                if (dicom.TransferSyntax.IsEncapsulated && !ts.Equals(dicom.TransferSyntax))
                {
                    throw new NotSupportedException($"the input's pixel data is compressed ({dicom.TransferSyntax}); decoding it is not supported, keep --transfer-syntax source");
                }

                await dicom.SaveAsync(temp, new DicomWriterOptions { TransferSyntax = ts, SequenceLengths = lengths }, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, outPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
