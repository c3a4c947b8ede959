using System.CommandLine;

namespace CloudArchive.Cli.Commands.Erasure;

/// <summary>Builds the <c>erasure</c> command group: <c>request</c>.</summary>
public static class ErasureCommands
{
    /// <summary>Creates the <c>erasure</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var erasure = new Command("erasure", "Erasure on request (GDPR Art. 17): crypto-shred a patient's studies unless a hold or a retention obligation forbids it");
        erasure.Add(ErasureRequestCommand.Create());
        return erasure;
    }
}
