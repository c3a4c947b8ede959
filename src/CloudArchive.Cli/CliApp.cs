using System.CommandLine;

namespace CloudArchive.Cli;

/// <summary>Builds the command tree; each command group lives in its own folder under Commands/.</summary>
public static class CliApp
{
    /// <summary>Builds the root command with every registered command group.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("CloudArchive: confidential cloud archive for medical images. " + Commands.Common.ExitCodes.Legend);
        root.Add(Commands.Dicom.DicomCommands.Create());
        root.Add(Commands.Deid.DeidCommand.Create());
        root.Add(Commands.Dev.DevCommands.Create());
        root.Add(Commands.Upload.UploadCommand.Create());
        root.Add(Commands.Status.StatusCommand.Create());
        root.Add(Commands.Doctor.DoctorCommand.Create());
        root.Add(Commands.Audit.AuditCommands.Create());
        root.Add(Commands.Keys.KeysCommands.Create());
        root.Add(Commands.Quarantine.QuarantineCommands.Create());
        root.Add(Commands.Retention.RetentionCommands.Create());
        root.Add(Commands.Holds.HoldsCommands.Create());
        root.Add(Commands.Erasure.ErasureCommands.Create());
        root.Add(Commands.Export.ExportCommands.Create());
        root.Add(Commands.Research.ResearchCommands.Create());
        root.Add(Commands.Agreements.AgreementsCommands.Create());
        root.Add(Commands.Consents.ConsentsCommands.Create());
        root.Add(Commands.Fixity.FixityCommands.Create());
        return root;
    }

    /// <summary>Runs the CLI with the given arguments.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) => InvokeAsync(args, null, cancellationToken);

    /// <summary>
    /// Parses and runs, with usage errors exiting <see cref="Commands.Common.ExitCodes.Usage"/>: System.CommandLine
    /// exits 1 on a parse error and 0 for <c>cloudarchive unknown --help</c> (help clears the error), which a script
    /// cannot tell from success or from a command's own "needs attention".
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration, CancellationToken cancellationToken)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0 || parse.UnmatchedTokens.Count > 0)
        {
            var error = configuration?.Error ?? Console.Error;
            foreach (var message in parse.Errors.Count > 0 ? parse.Errors.Select(e => e.Message) : parse.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'."))
            {
                await error.WriteLineAsync(message).ConfigureAwait(false);
            }

            var names = new List<string>();
            for (System.CommandLine.Parsing.SymbolResult? r = parse.CommandResult; r is System.CommandLine.Parsing.CommandResult c; r = c.Parent)
            {
                names.Add(c.Command is RootCommand ? "cloudarchive" : c.Command.Name);
            }

            names.Reverse();
            await error.WriteLineAsync($"Run '{string.Join(' ', names)} --help' for usage.").ConfigureAwait(false);
            return Commands.Common.ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
