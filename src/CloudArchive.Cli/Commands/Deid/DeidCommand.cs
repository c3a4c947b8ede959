using System.CommandLine;
using CloudArchive.Deidentification;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Deid;

/// <summary>
/// <c>cloudarchive deid --in FILE|DIR --out DIR --secret-file F [--options LIST] [--profile FILE] [--report DIR] [--jobs N]</c>:
/// de-identifies one file or every file under a directory with the PS3.15 Basic Profile and the chosen options.
/// </summary>
public static class DeidCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "A DICOM file, or a directory searched recursively", Required = true };
        var output = new Option<string>("--out") { Description = "Output directory; files are named <new SOP Instance UID>.dcm", Required = true };
        var secret = new Option<string>("--secret-file") { Description = "The per-project secret (at least 32 bytes; e.g. openssl rand -base64 48 > secret)", Required = true };
        var options = new Option<string?>("--options")
        {
            Description = "Comma-separated options: " + string.Join(", ", DeidOptionInfo.All.Select(DeidOptionInfo.Key)),
        };
        var profile = new Option<string?>("--profile") { Description = "Profile JSON (options, overrides, safe private list, pixel rules); see docs/deidentification.md" };
        var report = new Option<string?>("--report") { Description = "Directory for per-instance JSON reports and summary.json" };
        var jobs = new Option<int>("--jobs") { Description = "Files processed in parallel (default: number of CPUs)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command(
            "deid",
            "De-identify DICOM files (PS3.15 Annex E Basic Profile, options, keyed pseudonyms). Exit codes: 0 all de-identified, "
            + "1 some inputs refused or failed (see the report), 2 usage or invalid profile/secret, 3 I/O error, 130 cancelled.")
        {
            input, output, secret, options, profile, report, jobs,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new DeidRequest(
                parse.GetValue(input)!,
                parse.GetValue(output)!,
                parse.GetValue(secret)!,
                parse.GetValue(options),
                parse.GetValue(profile),
                parse.GetValue(report),
                Math.Max(1, parse.GetValue(jobs)));
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Output),
                Ansi = AnsiSupport.Detect,
                Interactive = InteractionSupport.Detect,
            });
            return await DeidRunner.RunAsync(request, console, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
