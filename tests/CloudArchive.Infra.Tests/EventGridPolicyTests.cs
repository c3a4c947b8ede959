using System.Text.Json.Nodes;
using CloudArchive.Functions.Ingest;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>Event Grid (event-grid module): BlobCreated of incoming to the ingest queue, with a managed identity throughout.</summary>
public sealed class EventGridPolicyTests
{
    private static async Task<ArmTemplate> ModuleAsync() => (await CompiledInfrastructure.MainAsync()).Module("event-grid").Template;

    private static async Task<JsonNode> SubscriptionAsync() => (await ModuleAsync()).Single("Microsoft.EventGrid/systemTopics/eventSubscriptions")["properties"]!;

    [Fact]
    public async Task A_system_topic_with_its_own_identity_watches_the_data_account()
    {
        var topic = (await ModuleAsync()).Single("Microsoft.EventGrid/systemTopics");

        Assert.Equal("Microsoft.Storage.StorageAccounts", (string?)topic["properties"]!["topicType"]);
        Assert.Contains("parameters('dataAccountName')", (string?)topic["properties"]!["source"], StringComparison.Ordinal);
        Assert.Equal("SystemAssigned", (string?)topic["identity"]!["type"]);
    }

    [Fact]
    public async Task Only_blob_created_events_under_incoming_are_subscribed()
    {
        var filter = (await SubscriptionAsync())["filter"]!;

        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("[format('/blobServices/default/containers/{0}/', parameters('incomingContainerName'))]", (string?)filter["subjectBeginsWith"]);
        var main = await CompiledInfrastructure.MainAsync();
        Assert.Equal("[variables('containerNames').Incoming]", main.Module("event-grid").Parameter("incomingContainerName")!.GetValue<string>());
    }

    [Fact]
    public async Task Stow_rs_parts_raise_no_event_because_their_request_ingests_them()
    {
        var filter = Assert.Single((await SubscriptionAsync())["filter"]!["advancedFilters"]!.AsArray())!;

        Assert.Equal("StringNotBeginsWith", (string?)filter["operatorType"]);
        Assert.Equal("subject", (string?)filter["key"]);
        var prefix = (string?)Assert.Single(filter["values"]!.AsArray());
        Assert.Equal($"[format('/blobServices/default/containers/{{0}}/blobs/{CloudArchive.Core.DicomWeb.Stow.StowService.UploadPrefix}', parameters('incomingContainerName'))]", prefix);
    }

    [Fact]
    public async Task Events_are_delivered_to_the_ingest_queue_with_the_topic_identity()
    {
        var subscription = await SubscriptionAsync();
        var delivery = subscription["deliveryWithResourceIdentity"]!;

        Assert.Null(subscription["destination"]);
        Assert.Equal("SystemAssigned", (string?)delivery["identity"]!["type"]);
        Assert.Equal("StorageQueue", (string?)delivery["destination"]!["endpointType"]);
        Assert.Equal("[parameters('ingestQueueName')]", (string?)delivery["destination"]!["properties"]!["queueName"]);
        var main = await CompiledInfrastructure.MainAsync();
        Assert.Equal("[variables('ingestQueue')]", main.Module("event-grid").Parameter("ingestQueueName")!.GetValue<string>());
        Assert.Equal(IngestInstance.Queue, (string?)main.Variable("ingestQueue"));
    }

    [Fact]
    public async Task Undeliverable_events_are_dead_lettered_into_a_container_with_the_topic_identity()
    {
        var subscription = await SubscriptionAsync();
        var deadLetter = subscription["deadLetterWithResourceIdentity"]!;

        Assert.Null(subscription["deadLetterDestination"]);
        Assert.Equal("SystemAssigned", (string?)deadLetter["identity"]!["type"]);
        Assert.Equal("StorageBlob", (string?)deadLetter["deadLetterDestination"]!["endpointType"]);
        Assert.Equal("[parameters('deadLetterContainerName')]", (string?)deadLetter["deadLetterDestination"]!["properties"]!["blobContainerName"]);
    }

    [Fact]
    public async Task Delivery_has_a_retry_policy()
    {
        var retry = (await SubscriptionAsync())["retryPolicy"]!;

        Assert.Equal("[parameters('maxDeliveryAttempts')]", (string?)retry["maxDeliveryAttempts"]);
        Assert.Equal("[parameters('eventTimeToLiveInMinutes')]", (string?)retry["eventTimeToLiveInMinutes"]);
        var main = (await CompiledInfrastructure.MainAsync()).Module("event-grid");
        Assert.InRange(main.Parameter("maxDeliveryAttempts")!.GetValue<int>(), 1, 30);
        Assert.InRange(main.Parameter("eventTimeToLiveInMinutes")!.GetValue<int>(), 1, 1440);
    }
}
