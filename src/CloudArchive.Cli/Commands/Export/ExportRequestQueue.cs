using CloudArchive.Cli.Commands.Audit;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Export;

/// <summary>Puts export requests on the queue the function app's <c>ExportResearchCopies</c> listens to.</summary>
internal static class ExportRequestQueue
{
    /// <summary>The default queue of export requests.</summary>
    public const string DefaultQueue = CloudArchive.Azure.Composition.ArchiveQueueNames.Export;

    /// <summary>
    /// Enqueues <c>{"agreementId", "requestedBy"}</c> in the connection's queue encoding (base64 by default, what the
    /// Functions queue trigger expects; the function also accepts raw JSON) and returns the queue name and message id.
    /// </summary>
    public static async Task<(string Queue, string MessageId)> EnqueueAsync(ArchiveSettings settings, string agreementId, CancellationToken cancellationToken)
    {
        var connection = settings.Connect();
        var queue = connection.Queues.GetQueueClient(settings["CloudArchive:Queues:ExportRequests"] ?? DefaultQueue);
        await CloudArchive.Azure.Storage.StorageCall.RunAsync("CreateQueue", () => queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        var message = JsonOutput.Format(new System.Text.Json.Nodes.JsonObject { ["agreementId"] = agreementId, ["requestedBy"] = AuditLogAccess.Actor }, indented: false);
        var receipt = await CloudArchive.Azure.Storage.StorageCall.RunAsync("PutMessage", () => queue.SendMessageAsync(message, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return (queue.Name, receipt.Value.MessageId);
    }
}
