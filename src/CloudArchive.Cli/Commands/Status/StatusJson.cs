using System.Text.Json.Nodes;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Status;

/// <summary>The <c>status --json</c> document: the same facts as the tables, with stable camelCase names.</summary>
internal static class StatusJson
{
    /// <summary>The document for <paramref name="status"/>.</summary>
    public static JsonObject Build(ArchiveStatus status) => new()
    {
        ["functionApp"] = new JsonObject { ["state"] = status.FunctionApp.State, ["url"] = status.FunctionApp.Url, ["detail"] = status.FunctionApp.Detail },
        ["containers"] = JsonOutput.Array(status.Containers.Select(c => (JsonNode?)new JsonObject { ["role"] = c.Role, ["name"] = c.Name, ["exists"] = c.Exists, ["blobs"] = c.Blobs, ["bytes"] = c.Bytes })),
        ["queues"] = JsonOutput.Array(status.Queues.Select(q => (JsonNode?)new JsonObject { ["name"] = q.Name, ["exists"] = q.Exists, ["messages"] = q.Messages })),
        ["recentQuarantine"] = JsonOutput.Array(status.RecentQuarantine.Select(r => (JsonNode?)new JsonObject { ["time"] = r.Time, ["id"] = r.Id, ["ageHours"] = r.AgeHours(DateTimeOffset.UtcNow), ["reason"] = r.Reason, ["message"] = r.Message, ["retried"] = r.Retried })),
        ["lastAuditWrite"] = status.LastAuditWrite,
        ["findings"] = JsonOutput.Array((status.Findings ?? []).Select(f => (JsonNode?)new JsonObject { ["kind"] = f.Kind, ["subject"] = f.Subject, ["problem"] = f.Problem, ["detectedAt"] = f.DetectedAt })),
        ["needsAttention"] = status.NeedsAttention,
    };
}
