using System.Text.Json;

namespace CloudArchive.Cli.Commands.Status;

/// <summary>The <c>status --json</c> document: the same facts as the tables, with stable camelCase names.</summary>
internal static class StatusJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Serializes <paramref name="status"/>.</summary>
    public static string Serialize(ArchiveStatus status) => JsonSerializer.Serialize(
        new Dictionary<string, object?>
        {
            ["functionApp"] = new Dictionary<string, object?> { ["state"] = status.FunctionApp.State, ["url"] = status.FunctionApp.Url, ["detail"] = status.FunctionApp.Detail },
            ["containers"] = status.Containers.Select(c => new Dictionary<string, object?> { ["role"] = c.Role, ["name"] = c.Name, ["exists"] = c.Exists, ["blobs"] = c.Blobs, ["bytes"] = c.Bytes }),
            ["queues"] = status.Queues.Select(q => new Dictionary<string, object?> { ["name"] = q.Name, ["exists"] = q.Exists, ["messages"] = q.Messages }),
            ["recentQuarantine"] = status.RecentQuarantine.Select(r => new Dictionary<string, object?> { ["time"] = r.Time, ["upload"] = r.BlobName, ["reason"] = r.Reason, ["message"] = r.Message }),
            ["lastAuditWrite"] = status.LastAuditWrite,
            ["needsAttention"] = status.NeedsAttention,
        },
        Options);
}
