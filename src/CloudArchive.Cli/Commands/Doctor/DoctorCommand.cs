using System.CommandLine;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Doctor;

/// <summary><c>cloudarchive doctor</c>: configuration and connectivity checks; exit code 1 when any check fails.</summary>
public static class DoctorCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var json = JsonOutput.Option("Print the checks (area, check, severity, detail, fix) as JSON");
        var command = new Command("doctor", "Check configuration and connectivity (storage, containers, queues, keys, policies) and, against Azure, the platform controls (Shared Key off, WORM on audit, keyring soft delete off, purge protection, HTTPS only). Exit codes: 0 all OK or warnings only, 1 a check failed.")
        {
            json, connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var settings = ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile));
            var checks = await ArchiveDoctor.RunAsync(settings, Environment.CurrentDirectory, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse.InvocationConfiguration.Output, DoctorReport.Json(checks)).ConfigureAwait(false);
                return checks.Any(c => c.Severity == DoctorSeverity.Fail) ? ExitCodes.Attention : ExitCodes.Success;
            }

            var failed = DoctorReport.Write(OperationsRunner.Console(parse.InvocationConfiguration.Output), checks);
            return failed ? ExitCodes.Attention : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
