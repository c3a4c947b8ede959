using System.Reflection;
using CloudArchive.Functions.Export;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Middleware;
using Microsoft.Azure.Functions.Worker;
using Xunit;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>
/// The ExportResearchCopies trigger as declared by its attributes (what the Worker SDK generates functions.metadata from
/// and the local host reads), and the queue message contract.
/// </summary>
public sealed class ExportFunctionMetadataTests
{
    [Fact]
    public void ExportResearchCopies_is_a_queue_trigger_on_export_requests_with_the_queues_connection()
    {
        var method = typeof(ExportResearchCopies).GetMethod(nameof(ExportResearchCopies.RunAsync))!;

        Assert.Equal("ExportResearchCopies", method.GetCustomAttribute<FunctionAttribute>()!.Name);
        var message = Assert.Single(method.GetParameters(), p => p.GetCustomAttribute<QueueTriggerAttribute>() is not null);
        var trigger = message.GetCustomAttribute<QueueTriggerAttribute>()!;
        Assert.Equal(typeof(string), message.ParameterType);
        Assert.Equal("export-requests", trigger.QueueName);
        Assert.Equal("CloudArchiveQueues", trigger.Connection);
    }

    [Fact]
    public void The_local_host_listens_to_the_triggers_queue_unless_a_test_or_dev_up_names_another()
    {
        var function = LocalFunctionCatalog.ForAssembly(typeof(LocalHostApp).Assembly).Get(ExportResearchCopies.Name);

        Assert.Equal((LocalTriggerKind.Queue, ExportResearchCopies.Queue, "CloudArchiveQueues"), (function.Trigger, function.Target, function.Connection));
        Assert.Equal(typeof(ExportResearchCopies), function.Type);
        Assert.Equal("export-requests", new LocalHostOptions().QueueFor(function));
        Assert.Equal("exq-1", new LocalHostOptions { Queues = { [ExportResearchCopies.Name] = "exq-1" } }.QueueFor(function));
    }

    [Fact]
    public void A_well_formed_request_parses_and_round_trips()
    {
        var message = ExportRequestMessage.Parse("""{"agreementId":"lung-1","requestedBy":"6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"}""");
        Assert.Equal(new ExportRequestMessage("lung-1", "6f1c7c8e-0d5b-4a39-9a43-1b8a7f0d2c11"), message);
        Assert.Equal(message, ExportRequestMessage.Parse(message.ToJson()));
    }

    [Theory]
    [InlineData("""{"agreementId":"lung-1"}""")]
    [InlineData("""{"requestedBy":"cli:x"}""")]
    [InlineData("""{"agreementId":"lung-1","requestedBy":"cli:x","extra":1}""")]
    [InlineData("""{"agreementId":"lung-1","agreementId":"lung-2","requestedBy":"cli:x"}""")]
    [InlineData("""{"agreementId":7,"requestedBy":"cli:x"}""")]
    [InlineData("""{"agreementId":"LUNG 1","requestedBy":"cli:x"}""")]
    [InlineData("""{"agreementId":"lung-1","requestedBy":"Jane Doe"}""")]
    [InlineData("""["lung-1"]""")]
    [InlineData("""{"agreementId":""")]
    public void A_malformed_request_is_a_typed_rejection_that_does_not_echo_values(string json)
    {
        var ex = Assert.Throws<InvalidMessageException>(() => ExportRequestMessage.Parse(json));
        Assert.DoesNotContain("Jane", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LUNG 1", ex.Message, StringComparison.Ordinal);
    }
}
