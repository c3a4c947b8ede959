using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>Writes real audit lines through the production writer into an account's <c>audit</c> container.</summary>
internal static class AuditLogFixtureWriter
{
    public const string StudyA = "AAAAAAAAAAAAAAAAAAAAAAAAAA";
    public const string StudyB = "BBBBBBBBBBBBBBBBBBBBBBBBBB";

    /// <summary>Writes <paramref name="count"/> lines (correlation ids corr-1..corr-N; odd lines import study A, even lines export study B); returns the blob name.</summary>
    public static async Task<string> WriteAsync(StorageConnection connection, string writerId, int count, CancellationToken cancellationToken)
    {
        var container = connection.Blobs.GetBlobContainerClient("audit");
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var store = new BlobAuditLogStore(container);
        using var writer = new AuditLogWriter(store, writerId, TimeProvider.System);
        string? blob = null;
        for (var i = 1; i <= count; i++)
        {
            var import = i % 2 == 1;
            await writer.AppendAsync(new AuditEvent
            {
                EventType = import ? AuditEventType.Import : AuditEventType.Export,
                Action = import ? AuditAction.Create : AuditAction.Read,
                Outcome = AuditOutcome.Success,
                Actor = new AuditActor(import ? "svc:cloudarchive-ingest" : "app:exporter"),
                Study = new OpaqueKey(import ? StudyA : StudyB),
                CorrelationId = "corr-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, cancellationToken);
        }

        await foreach (var info in store.ListAsync("log/", cancellationToken))
        {
            if (info.Name.EndsWith("/" + writerId + ".jsonl", StringComparison.Ordinal))
            {
                blob = info.Name;
            }
        }

        return blob ?? throw new InvalidOperationException("audit blob not found");
    }
}
