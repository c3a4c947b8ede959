using System.CommandLine;
using System.Globalization;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Audit;

/// <summary><c>cloudarchive audit query [--from --to --actor --action --event --study] [--json]</c>.</summary>
public static class AuditQueryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "From (inclusive), ISO 8601, UTC unless an offset is given" };
        var to = new Option<string?>("--to") { Description = "To (exclusive)" };
        var actor = new Option<string?>("--actor") { Description = "Actor id or UPN" };
        var action = new Option<string?>("--action") { Description = "Action code: C, R, U, D or E" };
        var eventId = new Option<int?>("--event") { Description = "DICOM audit EventID, e.g. 110107 (import)" };
        var study = new Option<string?>("--study") { Description = "Opaque study key (26 base32 characters)" };
        var json = new Option<bool>("--json") { Description = "Print the matching lines as stored (JSON lines) instead of a table" };
        var limit = new Option<int>("--limit") { Description = "Stop after this many lines", DefaultValueFactory = _ => 1000 };
        var connection = OperationsRunner.ConnectionStringOption();
        var settingsFile = OperationsRunner.SettingsFileOption();
        var command = new Command("query", "List audit lines matching all given filters. Exit codes: 0 ok, 2 usage/configuration, 3 storage error.")
        {
            from, to, actor, action, eventId, study, json, limit, connection, settingsFile,
        };
        command.SetAction((parse, cancellationToken) => OperationsRunner.RunAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var filter = new AuditQueryFilter
            {
                From = AuditTimeParser.Parse(parse.GetValue(from), "--from"),
                To = AuditTimeParser.Parse(parse.GetValue(to), "--to"),
                Actor = parse.GetValue(actor),
                Action = ParseAction(parse.GetValue(action)),
                EventType = ParseEvent(parse.GetValue(eventId)),
                Study = ParseStudy(parse.GetValue(study)),
            };
            AuditTimeParser.CheckRange(filter.From, filter.To);
            var max = parse.GetValue(limit);
            if (max < 1)
            {
                throw new UsageException("--limit must be at least 1.");
            }

            var settings = ArchiveSettings.Load(parse.GetValue(connection), parse.GetValue(settingsFile));
            var store = AuditLogAccess.OpenStore(settings);
            var output = parse.InvocationConfiguration.Output;
            var table = new Table().AddColumns("time (UTC)", "event", "action", "outcome", "actor", "study", "instance", "details", "at");
            var count = 0;
            await foreach (var entry in new AuditLogQuery(store).QueryAsync(filter, cancellationToken).ConfigureAwait(false))
            {
                var r = entry.Record;
                var e = r.Event;
                if (parse.GetValue(json))
                {
                    await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(AuditLineSerializer.Serialize(r))).ConfigureAwait(false);
                }
                else
                {
                    table.AddRow(
                        r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
                        ((int)e.EventType).ToString(CultureInfo.InvariantCulture),
                        e.Action.ToString(),
                        e.Outcome.ToString(),
                        Markup.Escape(e.Actor.Id),
                        e.Study?.Value ?? string.Empty,
                        e.Instance?.Value ?? string.Empty,
                        Markup.Escape(string.Join(' ', e.Details)),
                        Markup.Escape($"{entry.BlobName}:{entry.LineNumber}"));
                }

                if (++count >= max)
                {
                    break;
                }
            }

            if (!parse.GetValue(json))
            {
                var console = OperationsRunner.Console(output);
                console.Write(table);
                console.MarkupLine($"{count} line(s){(count >= max ? $" (stopped at --limit {max})" : string.Empty)}.");
            }

            await AuditLogAccess.RecordUseAsync(settings, AuditAction.Read, AuditOutcome.Success, ["audit-query", string.Create(CultureInfo.InvariantCulture, $"lines={count}")], cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static AuditAction? ParseAction(string? value) => value?.ToUpperInvariant() switch
    {
        null or "" => null,
        "C" => AuditAction.Create,
        "R" => AuditAction.Read,
        "U" => AuditAction.Update,
        "D" => AuditAction.Delete,
        "E" => AuditAction.Execute,
        _ => throw new UsageException("--action must be one of C, R, U, D, E."),
    };

    private static AuditEventType? ParseEvent(int? value) =>
        value is null ? null
        : Enum.IsDefined(typeof(AuditEventType), value.Value) ? (AuditEventType)value.Value
        : throw new UsageException($"--event {value} is not an audit event id the archive writes ({string.Join(", ", Enum.GetValues<AuditEventType>().Select(v => ((int)v).ToString(CultureInfo.InvariantCulture)))}).");

    private static OpaqueKey? ParseStudy(string? value) =>
        string.IsNullOrEmpty(value) ? null
        : OpaqueKey.IsValid(value) ? new OpaqueKey(value)
        : throw new UsageException("--study must be an opaque study key (26 base32 characters), not a StudyInstanceUID.");
}
