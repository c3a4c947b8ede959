using System.CommandLine;

namespace CloudArchive.Cli.Commands.Retention;

/// <summary>Builds the <c>retention</c> command group: <c>plan</c> and <c>run</c>.</summary>
public static class RetentionCommands
{
    /// <summary>Creates the <c>retention</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var retention = new Command("retention", "The retention sweep: what is past its retention date and not held (plan), and deleting or crypto-shredding it (run)");
        retention.Add(RetentionPlanCommand.Create());
        retention.Add(RetentionRunCommand.Create());
        return retention;
    }
}
