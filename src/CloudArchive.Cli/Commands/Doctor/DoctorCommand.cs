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
        var command = new Command("doctor", "Check configuration and connectivity (storage, containers, queues, keys, policies) and, against Azure, the platform controls (Shared Key off, WORM on audit, keyring soft delete off, purge protection, HTTPS only). Exit codes: 0 all OK or warnings only, 1 a check failed.")
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
                    DoctorSeverity.Skipped => "[grey]SKIP[/]",
                    _ => "[red]FAIL[/]",
                };
                table.AddRow(mark, check.Area, Markup.Escape(check.Check), Markup.Escape(check.Detail));
            }

            console.Write(table);
            // What to change, for every check that failed or could not be verified (the commands name placeholders, never a secret).
            foreach (var check in checks.Where(c => c.Fix is not null && c.Severity is DoctorSeverity.Fail or DoctorSeverity.Warn))
            {
                console.MarkupLine($"[bold]fix[/] {Markup.Escape(check.Check)}: {Markup.Escape(check.Fix!)}");
            }

            var failed = checks.Count(c => c.Severity == DoctorSeverity.Fail);
            var warned = checks.Count(c => c.Severity == DoctorSeverity.Warn);
            console.MarkupLine(failed > 0 ? $"[red]{failed} check(s) failed[/], {warned} warning(s)." : $"[green]All checks passed[/], {warned} warning(s).");
            return failed > 0 ? OperationsRunner.Failed : OperationsRunner.Success;
        }, cancellationToken));
        return command;
    }
}
