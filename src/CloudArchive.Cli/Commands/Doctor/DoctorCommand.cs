using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Doctor;

/// <summary><c>cloudarchive doctor</c>: configuration and connectivity checks; exit code 1 when any check fails.</summary>
public static class DoctorCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var command = new Command("doctor", "Check configuration and connectivity (storage, containers, queues, keys, policies). Exit codes: 0 all OK or warnings only, 1 a check failed.")
        {
            connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var settings = ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile));
            var checks = await ArchiveDoctor.RunAsync(settings, Environment.CurrentDirectory, cancellationToken).ConfigureAwait(false);
            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            var table = new Table().AddColumns("", "area", "check", "detail");
            foreach (var check in checks)
            {
                var mark = check.Severity switch
                {
                    DoctorSeverity.Ok => "[green]OK[/]",
                    DoctorSeverity.Warn => "[yellow]WARN[/]",
                    _ => "[red]FAIL[/]",
                };
                table.AddRow(mark, check.Area, Markup.Escape(check.Check), Markup.Escape(check.Detail));
            }

            console.Write(table);
            var failed = checks.Count(c => c.Severity == DoctorSeverity.Fail);
            var warned = checks.Count(c => c.Severity == DoctorSeverity.Warn);
            console.MarkupLine(failed > 0 ? $"[red]{failed} check(s) failed[/], {warned} warning(s)." : $"[green]All checks passed[/], {warned} warning(s).");
            return failed > 0 ? OperationsRunner.Failed : OperationsRunner.Success;
        }, cancellationToken));
        return command;
    }
}
