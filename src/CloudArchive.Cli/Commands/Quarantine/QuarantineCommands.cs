using System.CommandLine;

namespace CloudArchive.Cli.Commands.Quarantine;

/// <summary>Builds the <c>quarantine</c> command group: <c>list</c>, <c>show</c>, <c>retry</c>, <c>release</c>.</summary>
public static class QuarantineCommands
{
    /// <summary>Creates the <c>quarantine</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var quarantine = new Command("quarantine", "Operate on quarantined uploads (encrypted copies, known by opaque ids): list, show, retry, release. Every action is audited.");
        quarantine.Add(QuarantineListCommand.Create());
        quarantine.Add(QuarantineShowCommand.Create());
        quarantine.Add(QuarantineRetryCommand.Create());
        quarantine.Add(QuarantineReleaseCommand.Create());
        return quarantine;
    }
}
