using System.CommandLine;

namespace CloudArchive.Cli.Commands.Holds;

/// <summary>Builds the <c>holds</c> command group: <c>place</c>, <c>release</c>, <c>list</c>.</summary>
public static class HoldsCommands
{
    /// <summary>Creates the <c>holds</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var holds = new Command("holds", "Legal holds: while one covers a study or patient, nothing of it is deleted, swept, erased or shredded");
        holds.Add(HoldsPlaceCommand.Create());
        holds.Add(HoldsReleaseCommand.Create());
        holds.Add(HoldsListCommand.Create());
        return holds;
    }
}
