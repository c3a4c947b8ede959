using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Dicom;

namespace CloudArchive.Cli.Commands.Dicom;

/// <summary><c>cloudarchive dicom dump FILE [--full]</c>: a dcmdump-like listing of every element.</summary>
public static class DicomDumpCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "DICOM Part 10 file (or a raw dataset without File Meta)" };
        var full = new Option<bool>("--full") { Description = "Print long values in full instead of cutting them at 64 characters" };
        var command = new Command("dump", "Print every element (tag, VR, value, length, VM, keyword); sequence items and fragments nested. Exit codes: 0 ok, 1 invalid DICOM, 3 I/O error.")
        {
            file,
            full,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var input = parse.GetValue(file)!;
            var output = parse.InvocationConfiguration.Output;
            return DicomCommandRunner.RunAsync(parse.InvocationConfiguration.Error, input.Name, async () =>
            {
                var dicom = await DicomReader.ReadFileAsync(input.FullName, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (dicom.ConfigureAwait(false))
                {
                    await new DicomDumpFormatter(output, parse.GetValue(full) ? 0 : 64).WriteAsync(dicom, cancellationToken).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
