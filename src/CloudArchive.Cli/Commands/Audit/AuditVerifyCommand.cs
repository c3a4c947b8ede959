using System.CommandLine;
using System.Globalization;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit;

namespace CloudArchive.Cli.Commands.Audit;

/// <summary>
/// <c>cloudarchive audit verify [--from --to]</c>: recomputes every hash chain in the range and reports each
/// modified, deleted, inserted, reordered or misplaced line as <c>blob:line: Kind: message</c>.
/// </summary>
public static class AuditVerifyCommand
{
    /// <summary>Exit code when the log is intact.</summary>
    public const int Intact = ExitCodes.Success;

    /// <summary>Exit code when any finding was reported.</summary>
    public const int TamperingFound = ExitCodes.Attention;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "First hour to check (inclusive), ISO 8601, UTC unless an offset is given" };
        var to = new Option<string?>("--to") { Description = "End of the range (exclusive)" };
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var command = new Command("verify", "Verify the audit log's hash chains and line placement. Exit codes: 0 intact, 1 tampering or damage found, 2 usage/configuration, 3 storage error.")
        {
            from, to, connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var fromTime = AuditTimeParser.Parse(parse.GetValue(from), "--from");
            var toTime = AuditTimeParser.Parse(parse.GetValue(to), "--to");
            AuditTimeParser.CheckRange(fromTime, toTime);
            var store = AuditLogAccess.OpenStore(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var report = await new AuditLogVerifier(store).VerifyAsync(fromTime, toTime, cancellationToken).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            foreach (var finding in report.Findings)
            {
                await output.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{report.BlobsChecked} blob(s), {report.LinesChecked} line(s) checked: {(report.IsIntact ? "intact" : $"{report.Findings.Count} finding(s)")}")).ConfigureAwait(false);
            await AuditLogAccess.RecordUseAsync(store, AuditAction.Execute, report.IsIntact ? AuditOutcome.Success : AuditOutcome.SeriousFailure,
                ["audit-verify", string.Create(CultureInfo.InvariantCulture, $"findings={report.Findings.Count}")], cancellationToken).ConfigureAwait(false);
            return report.IsIntact ? Intact : TamperingFound;
        }, cancellationToken));
        return command;
    }
}
