using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Ingest;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Lifecycle;
using CloudArchive.Core.Lifecycle.Reconcile;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Functions.Tests.Lifecycle;

/// <summary>
/// Reconcile against Azurite with the real composition: a lost event's upload is re-enqueued in the shape the ingest
/// trigger decodes and then ingested; a poisoned upload ends in quarantine as <c>ingest-failed</c> with the error code
/// its last delivery recorded; both alert (error log with a stable event id, 110113) and every step is audited.
/// </summary>
public sealed class ReconcileTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public ReconcileTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stale_upload_is_reenqueued_once_per_threshold_then_ingested_and_its_mark_removed()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = await IngestApp.StartAsync(_azurite, (services, _) => services.AddSingleton<TimeProvider>(clock));
        var queue = await EmptyQueueAsync("ingest-events");
        var name = "gateway-7/Doe^Jane/lost-event.dcm";
        await app.UploadAsync(name, await SampleInstances.CopyAsync("CT_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 0, withAddress: false));
        var reconcile = app.Services.GetRequiredService<ReconcileService>();

        var young = await reconcile.RunAsync("reconcile-young", Ct);
        Assert.Equal(new ReconcileResult(0, 0, 0, 0, 0), young);

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var stale = await reconcile.RunAsync("reconcile-stale", Ct);
        Assert.Equal(1, stale.Reenqueued);

        // A second run within the threshold leaves the message already on the queue alone.
        var again = await reconcile.RunAsync("reconcile-again", Ct);
        Assert.Equal(0, again.Reenqueued);
        Assert.Equal(1, again.StillWaiting);

        var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), Ct)).Value;
        var message = Assert.Single(messages);
        var invoker = app.Services.GetRequiredService<LocalFunctionInvoker>();
        var results = ResultCapturingIngestHandler.Capture();
        await invoker.InvokeQueueAsync(invoker.Catalog.Get(IngestInstance.Name), message.Body.ToString(), message.MessageId, 1, DateTimeOffset.UtcNow, Ct);
        Assert.Equal(IngestOutcome.Archived, Assert.Single(results).Outcome);
        Assert.Empty(await app.ListAsync(app.Incoming));
        Assert.Single(await app.ListAsync(app.Archive, "studies/"));

        var after = await reconcile.RunAsync("reconcile-after", Ct);
        Assert.Equal(new ReconcileResult(0, 0, 0, 0, 0), after);
        Assert.Empty(await app.ListAsync(app.Container("Control"), "reconcile/"));

        var audit = await new ArchiveInspector(app).AuditLinesAsync();
        var reenqueued = Assert.Single(audit, l => l.Record.Event.Details.Contains("reconcile-reenqueued"));
        Assert.Equal(AuditEventType.ApplicationActivity, reenqueued.Record.Event.EventType);
        Assert.Equal("reconcile-stale", reenqueued.Record.Event.CorrelationId);
        var alert = Assert.Single(audit, l => l.Record.Event.Details.Contains("reconcile-stale-uploads"));
        Assert.Equal(AuditEventType.SecurityAlert, alert.Record.Event.EventType);
        Assert.Contains("count=1", alert.Record.Event.Details);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.EventId.Id == LifecycleLogEvents.StaleUploadsReenqueued.Id);
        Assert.DoesNotContain("Doe^Jane", app.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(audit, l => l.Line.Contains("Doe", StringComparison.Ordinal) || l.Line.Contains("lost-event", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_poisoned_upload_ends_in_quarantine_as_ingest_failed_with_its_last_error_code_and_the_poison_message_goes()
    {
        FaultyArchiveStore? faulty = null;
        await using var app = await IngestApp.StartAsync(_azurite, (services, containers) => services.AddSingleton<IArchiveStore>(
            faulty = new FaultyArchiveStore(new BlobArchiveStore(_azurite.Connection.Blobs.GetBlobContainerClient(containers.Archive), _azurite.Connection.Options)) { RefuseWrites = true }));
        await EmptyQueueAsync("ingest-events");
        var poison = await EmptyQueueAsync("ingest-events-poison");
        var name = "gateway-7/Doe^John/poisoned.dcm";
        var reference = UploadReference.New();
        var content = await SampleInstances.CopyAsync("CT_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 0, withAddress: false);
        await app.Incoming.GetBlobClient(name).UploadAsync(new BinaryData(content), new BlobUploadOptions { Metadata = new Dictionary<string, string> { [UploadReference.MetadataName] = reference } }, Ct);

        // Five failed deliveries as the host makes them (Event Grid's base64 text), then the host's move to the poison queue.
        var eventJson = Payloads.EventGridEvent(app.Containers.Incoming, name);
        var invoker = app.Services.GetRequiredService<LocalFunctionInvoker>();
        for (var delivery = 1; delivery <= 5; delivery++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => invoker.InvokeQueueAsync(invoker.Catalog.Get(IngestInstance.Name), Payloads.Base64(eventJson), "m-1", delivery, DateTimeOffset.UtcNow, Ct));
        }

        await poison.SendMessageAsync(eventJson, Ct);
        Assert.Single(await app.ListAsync(app.Container("Control"), "reconcile/failures/"));

        var reconcile = app.Services.GetRequiredService<ReconcileService>();
        var result = await reconcile.RunAsync("reconcile-poison", Ct);
        Assert.Equal(1, result.Quarantined);

        Assert.Empty(await app.ListAsync(app.Incoming));
        var placed = Assert.Single((await new ArchiveInspector(app).AuditLinesAsync()), l => l.Record.Event.EventType == AuditEventType.Import);
        var id = ImportAuditDetails.QuarantineIdOf(placed.Record.Event.Details)!;
        Assert.Equal(content, await app.DecryptQuarantineCopyAsync(id));
        Assert.DoesNotContain(await app.ListAsync(app.Quarantine), q => q.Name.Contains("Doe", StringComparison.Ordinal));
        var reason = JsonNode.Parse(await app.ReadAllAsync(app.Quarantine, CloudArchive.Core.Ingest.Quarantine.QuarantineNames.Reason(id)))!;
        Assert.Equal("ingest-failed", reason["reason"]!.GetValue<string>());
        Assert.Contains("storage-503-serverbusy", reason["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(reference, reason["uploadRef"]!.GetValue<string>());
        Assert.Equal(Payloads.EventId, reason["eventId"]!.GetValue<string>());
        Assert.Equal(0, (await poison.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
        Assert.Empty(await app.ListAsync(app.Container("Control"), "reconcile/"));

        var audit = await new ArchiveInspector(app).AuditLinesAsync();
        var import = Assert.Single(audit, l => l.Record.Event.EventType == AuditEventType.Import);
        Assert.Equal(AuditOutcome.MinorFailure, import.Record.Event.Outcome);
        Assert.Equal(ImportAuditOutcome.Quarantined, ImportAuditDetails.Outcome(import.Record.Event.Details));
        Assert.Equal("ingest-failed", ImportAuditDetails.Reason(import.Record.Event.Details));
        Assert.Contains("error=storage-503-serverbusy", import.Record.Event.Details);
        Assert.Equal(reference, ImportAuditDetails.UploadReferenceOf(import.Record.Event.Details));
        var alert = Assert.Single(audit, l => l.Record.Event.Details.Contains("reconcile-poisoned-uploads"));
        Assert.Equal(AuditEventType.SecurityAlert, alert.Record.Event.EventType);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.EventId.Id == LifecycleLogEvents.PoisonedUploadsQuarantined.Id);
        Assert.DoesNotContain("Doe^John", app.Logs.Text, StringComparison.Ordinal);

        // Idempotent: nothing is left to do, and nothing more is written.
        faulty!.Heal();
        Assert.Equal(new ReconcileResult(0, 0, 0, 0, 0), await reconcile.RunAsync("reconcile-poison-again", Ct));
        Assert.Equal(audit.Count, (await new ArchiveInspector(app).AuditLinesAsync()).Count);
    }

    [Fact]
    public async Task A_poison_message_whose_upload_is_gone_is_cleared_and_one_that_names_no_upload_is_left_for_a_person()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var poison = await EmptyQueueAsync("ingest-events-poison");
        await poison.SendMessageAsync(Payloads.EventGridEvent(app.Containers.Incoming, "handled-meanwhile.dcm"), Ct);
        await poison.SendMessageAsync("""{"eventType":"Microsoft.Storage.BlobDeleted","id":"x","subject":"/blobServices/default/containers/other/blobs/a"}""", Ct);

        var result = await app.Services.GetRequiredService<ReconcileService>().RunAsync("reconcile-cleanup", Ct);

        Assert.Equal(new ReconcileResult(0, 0, 0, 1, 1), result);
        Assert.Equal(1, (await poison.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
        Assert.Empty(await app.ListAsync(app.Quarantine));
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("name no upload", StringComparison.Ordinal));
    }

    [Fact]
    public void Error_codes_keep_to_the_audit_detail_grammar_and_never_carry_a_message()
    {
        Assert.Equal("storage-503-serverbusy", CloudArchive.Azure.Lifecycle.IngestErrorCodes.Of(new CloudArchive.Azure.Storage.StorageRequestException("PutBlob", 503, "ServerBusy", "r", "busy")));
        Assert.Equal("storage-unreachable", CloudArchive.Azure.Lifecycle.IngestErrorCodes.Of(new CloudArchive.Azure.Storage.StorageRequestException("PutBlob", 0, null, null, null)));
        Assert.Equal("io", CloudArchive.Azure.Lifecycle.IngestErrorCodes.Of(new IOException("/incoming/Doe^Jane.dcm vanished")));
        Assert.Equal("unknown", IngestFailureNotes.Normalize("  "));
        Assert.Equal("a-b-.c", IngestFailureNotes.Normalize("A B!.c"));
        Assert.Equal(64, IngestFailureNotes.Normalize(new string('x', 200)).Length);
    }

    private async Task<global::Azure.Storage.Queues.QueueClient> EmptyQueueAsync(string name)
    {
        var queue = _azurite.Connection.Queues.GetQueueClient(name);
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
        await queue.ClearMessagesAsync(Ct);
        return queue;
    }
}
