using System.CommandLine;

namespace CloudArchive.Cli.Commands.Audit;

/// <summary>Builds the <c>audit</c> command group: <c>verify</c>, <c>query</c> and <c>seal</c>.</summary>
public static class AuditCommands
{
    /// <summary>Creates the <c>audit</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var audit = new Command("audit", "Check and search the hash-chained audit log (container 'audit')");
        audit.Add(AuditVerifyCommand.Create());
        audit.Add(AuditQueryCommand.Create());
        audit.Add(AuditSealCommand.Create());
        return audit;
    }
}
