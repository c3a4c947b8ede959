using System.CommandLine;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle.Shred;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Keys;

/// <summary>
/// <c>cloudarchive keys shred --study KEY --reason CODE --yes</c>: a complete crypto-shred of one study
/// (<see cref="StudyShredder"/>): its key with every version, its research copies and its quarantined uploads, so no
/// copy stays readable or downloadable. Irreversible, so it needs <c>--yes</c>; refused under legal hold; audited either way.
/// </summary>
public static class KeysShredCommand
{
    /// <summary>Exit code when the study is under legal hold.</summary>
    public const int RefusedLegalHold = ExitCodes.Refused;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var study = new Option<string>("--study") { Description = "Opaque study key (26 lowercase base32 characters)", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the audit log), e.g. retention-expired", DefaultValueFactory = _ => "operator-request" };
        var yes = new Option<bool>("--yes") { Description = "Confirm: this cannot be undone" };
        var settingsFile = OperationsRunner.SettingsFileOption();
        var connection = OperationsRunner.ConnectionStringOption();
        var command = new Command("shred", "Crypto-shred one study's key (irreversible). Exit codes: 0 shredded, 2 usage/not confirmed, 3 storage error, 4 refused: legal hold.")
        {
            study, reason, yes, settingsFile, connection,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var studyKey = parse.GetValue(study)!;
            if (studyKey.Length != OpaqueKeyNamer.NameLength || !studyKey.All(c => c is (>= 'a' and <= 'z') or (>= '2' and <= '7')))
            {
                throw new UsageException("--study must be an opaque study key (26 lowercase base32 characters), not a StudyInstanceUID.");
            }

            var why = parse.GetValue(reason)!;
            if (why.Length is 0 or > 64 || !char.IsAsciiLetterOrDigit(why[0]) || !why.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new UsageException("--reason must be a short code ([A-Za-z0-9._-], up to 64 characters), not free text.");
            }

            if (!parse.GetValue(yes))
            {
                throw new UsageException($"Shredding study {studyKey} makes every copy of its images unreadable, forever. Re-run with --yes to confirm.");
            }

            var console = OperationsRunner.Console(parse.InvocationConfiguration.Output);
            using var session = LifecycleSession.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            try
            {
                var result = await LifecycleSession.GuardAsync(() => session.Shredder.ShredAsync(new StudyShredRequest(studyKey, LifecycleSession.Actor, why.ToLowerInvariant(), session.CorrelationId), cancellationToken)).ConfigureAwait(false);
                console.MarkupLine(result.KeyExisted
                    ? $"Study {studyKey}: key shredded at {result.ShreddedAt:u}. Its ciphertext can no longer be decrypted."
                    : $"Study {studyKey}: no key existed; a tombstone now prevents it from being created again.");
                console.MarkupLine($"Research copies withdrawn: {result.ResearchInstancesWithdrawn} instances under {result.AgreementsWithdrawn} agreements; quarantined uploads deleted: {result.QuarantineCopiesDeleted}. No process uses the key any more, and new instances of the study are refused.");
                return ExitCodes.Success;
            }
            catch (KeyringException ex) when (ex.Reason == KeyringFailureReason.LegalHold)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("refused: " + ex.Message).ConfigureAwait(false);
                return RefusedLegalHold;
            }
        }, cancellationToken));
        return command;
    }
}
