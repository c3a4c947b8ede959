using System.CommandLine;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>Builds the <c>dev</c> command group: <c>up</c>.</summary>
public static class DevCommands
{
    /// <summary>Creates the <c>dev</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var dev = new Command("dev", "Run the archive locally (Azurite + the function app in its local host)");
        dev.Add(DevUpCommand.Create());
        return dev;
    }
}
