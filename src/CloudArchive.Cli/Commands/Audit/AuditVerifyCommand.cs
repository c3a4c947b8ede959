using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Audit.Seals;

namespace CloudArchive.Cli.Commands.Audit;

/// <summary>
/// <c>cloudarchive audit verify [--from --to] [--json]</c>: recomputes every keyed hash chain in the range and checks
/// the hourly seals (signature, seal chain, and each sealed blob's lines, line count and length), reporting every
/// finding as <c>blob:line: kind: message</c> with a named kind (<c>chain-broken</c>, <c>truncated</c>,
/// <c>blob-deleted</c>, <c>blob-rewritten</c>, <c>seal-missing</c>, <c>seal-chain-gap</c>, <c>seal-signature-invalid</c>, ...).
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
        var json = JsonOutput.Option("Print the report as JSON (findings with their kind names)");
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var command = new Command("verify", "Verify the audit log's keyed hash chains and its signed hourly seals. Exit codes: 0 intact, 1 tampering or damage found, 2 usage/configuration, 3 storage error.")
        {
            from, to, json, connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var fromTime = AuditTimeParser.Parse(parse.GetValue(from), "--from");
            var toTime = AuditTimeParser.Parse(parse.GetValue(to), "--to");
            AuditTimeParser.CheckRange(fromTime, toTime);
            using var services = ArchiveServices.Open(ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile)));
            var chains = await new AuditLogVerifier(services.Get<IAuditLogStore>(), services.Get<IAuditChainKeySource>())
                .VerifyAsync(fromTime, toTime, cancellationToken).ConfigureAwait(false);
            var (sealFindings, sealsChecked) = await services.Get<AuditSealVerifier>().VerifyAsync(fromTime, toTime, cancellationToken).ConfigureAwait(false);
            var findings = chains.Findings.Concat(sealFindings).ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(output, Report(chains, sealsChecked, findings)).ConfigureAwait(false);
            }
            else
            {
                foreach (var finding in findings)
                {
                    await output.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{chains.BlobsChecked} blob(s), {chains.LinesChecked} line(s), {sealsChecked} seal(s) checked: {(findings.Count == 0 ? "intact" : $"{findings.Count} finding(s)")}")).ConfigureAwait(false);
                if (chains.LegacyLines > 0)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"note: {chains.LegacyLines} line(s) use the legacy unkeyed chain (format v1); they verify, and only their seals protect them against a recomputed chain.")).ConfigureAwait(false);
                }
            }

            await AuditLogAccess.RecordUseAsync(services.Get<AuditLogWriter>(), AuditAction.Execute, findings.Count == 0 ? AuditOutcome.Success : AuditOutcome.SeriousFailure,
                ["audit-verify", string.Create(CultureInfo.InvariantCulture, $"findings={findings.Count}")], cancellationToken).ConfigureAwait(false);
            return findings.Count == 0 ? Intact : TamperingFound;
        }, cancellationToken));
        return command;
    }

    private static JsonObject Report(AuditVerificationReport chains, int sealsChecked, IReadOnlyList<AuditFinding> findings) => new()
    {
        ["intact"] = findings.Count == 0,
        ["blobs"] = chains.BlobsChecked,
        ["lines"] = chains.LinesChecked,
        ["legacyLines"] = chains.LegacyLines,
        ["seals"] = sealsChecked,
        ["findings"] = JsonOutput.Array(findings.Select(f => (JsonNode?)new JsonObject
        {
            ["kind"] = f.KindName,
            ["blob"] = f.BlobName,
            ["line"] = f.LineNumber,
            ["message"] = f.Message,
            ["expected"] = f.Expected,
            ["actual"] = f.Actual,
        })),
    };
}
