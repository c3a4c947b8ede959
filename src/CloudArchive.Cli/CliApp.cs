using System.CommandLine;

namespace CloudArchive.Cli;

/// <summary>Builds the command tree; each command group lives in its own folder under Commands/.</summary>
public static class CliApp
{
    /// <summary>Builds the root command with every registered command group.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("CloudArchive: confidential cloud archive for medical images");
        root.Add(Commands.Dicom.DicomCommands.Create());
        root.Add(Commands.Deid.DeidCommand.Create());
        root.Add(Commands.Dev.DevCommands.Create());
        root.Add(Commands.Upload.UploadCommand.Create());
        root.Add(Commands.Status.StatusCommand.Create());
        root.Add(Commands.Doctor.DoctorCommand.Create());
        root.Add(Commands.Audit.AuditCommands.Create());
        root.Add(Commands.Keys.KeysCommands.Create());
        root.Add(Commands.Export.ExportCommands.Create());
        root.Add(Commands.Research.ResearchCommands.Create());
        root.Add(Commands.Agreements.AgreementsCommands.Create());
        root.Add(Commands.Consents.ConsentsCommands.Create());
        return root;
    }

    /// <summary>Runs the CLI with the given arguments.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var parse = Build().Parse(args);
        return parse.InvokeAsync(cancellationToken: cancellationToken);
    }
}
