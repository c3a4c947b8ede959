using System.CommandLine;

namespace CloudArchive.Cli.Commands.Keys;

/// <summary>Builds the <c>keys</c> command group: <c>rewrap</c> and <c>shred</c>.</summary>
public static class KeysCommands
{
    /// <summary>Creates the <c>keys</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var keys = new Command("keys", "Key administration: rewrap study keys under the current key-encryption key, crypto-shred a study");
        keys.Add(KeysRewrapCommand.Create());
        keys.Add(KeysShredCommand.Create());
        return keys;
    }
}
