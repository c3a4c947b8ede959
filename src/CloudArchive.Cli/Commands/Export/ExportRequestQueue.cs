using CloudArchive.Cli.Commands.Audit;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Export;

/// <summary>Puts export requests on the queue the function app's <c>ExportResearchCopies</c> listens to.</summary>
internal static class ExportRequestQueue
{
    /// <summary>The default queue of export requests.</summary>
    public const string DefaultQueue = "export-requests";

    /// <summary>
    /// Enqueues <c>{"agreementId", "requestedBy"}</c> as raw JSON (the app's queue encoding is <c>none</c>; the function
    /// also accepts base64) and returns the queue name and message id.
    /// </summary>
    public static async Task<(string Queue, string MessageId)> EnqueueAsync(ArchiveSettings settings, string agreementId, CancellationToken cancellationToken)
    {
        var connection = settings.Connect();
        var queue = connection.Queues.GetQueue(settings["CloudArchive:Queues:ExportRequests"] ?? DefaultQueue);
        await queue.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var message = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["agreementId"] = agreementId, ["requestedBy"] = AuditLogAccess.Actor });
        var receipt = await queue.SendAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (queue.Name, receipt.MessageId);
    }
}
