using CloudArchive.Azure.Audit;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Core.Audit;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>
/// Writes real audit lines through the production writer, keyed with the chain key of the keyring the settings file
/// names, into that settings file's audit container.
/// </summary>
internal static class AuditLogFixtureWriter
{
    public const string StudyA = "AAAAAAAAAAAAAAAAAAAAAAAAAA";
    public const string StudyB = "BBBBBBBBBBBBBBBBBBBBBBBBBB";

    /// <summary>Writes unkeyed (legacy format v1) lines into the <c>audit</c> container, for tests that only need an audit blob.</summary>
    public static async Task<string> WriteAsync(Azure.Storage.StorageConnection connection, string writerId, int count, CancellationToken cancellationToken)
    {
        var container = connection.Blobs.GetBlobContainerClient("audit");
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        using var writer = new AuditLogWriter(new BlobAuditLogStore(container), writerId, TimeProvider.System);
        return await WriteLinesAsync(new BlobAuditLogStore(container), writer, writerId, count, cancellationToken);
    }

    /// <summary>Writes <paramref name="count"/> lines (correlation ids corr-1..corr-N; odd lines import study A, even lines export study B); returns the blob name.</summary>
    public static async Task<string> WriteAsync(string settingsFile, string writerId, int count, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        var settings = ArchiveSettings.Load(null, settingsFile);
        using var services = ArchiveServices.Open(settings);
        var container = settings.Connect().Blobs.GetBlobContainerClient(settings.Container("Audit"));
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var store = new BlobAuditLogStore(container);
        using var writer = new AuditLogWriter(store, writerId, time ?? TimeProvider.System, chainKey: services.Get<IAuditChainKeySource>());
        return await WriteLinesAsync(store, writer, writerId, count, cancellationToken);
    }

    private static async Task<string> WriteLinesAsync(BlobAuditLogStore store, AuditLogWriter writer, string writerId, int count, CancellationToken cancellationToken)
    {
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
