using System.CommandLine;

namespace CloudArchive.Cli.Commands.Export;

/// <summary>Builds the <c>export</c> command group: <c>run</c>.</summary>
public static class ExportCommands
{
    /// <summary>Creates the <c>export</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var export = new Command("export", "Research exports: de-identified copies of the studies a data-sharing agreement covers");
        export.Add(ExportRunCommand.Create());
        return export;
    }
}
