using System.CommandLine;

namespace CloudArchive.Cli.Commands.Dicom;

/// <summary>Builds the <c>dicom</c> command group: <c>dump</c>, <c>json</c> and <c>convert</c>.</summary>
public static class DicomCommands
{
    /// <summary>Creates the <c>dicom</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var dicom = new Command("dicom", "Inspect and rewrite DICOM Part 10 files with CloudArchive's own codec");
        dicom.Add(DicomDumpCommand.Create());
        dicom.Add(DicomJsonCommand.Create());
        dicom.Add(DicomConvertCommand.Create());
        return dicom;
    }
}
