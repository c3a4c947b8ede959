using System.Text.Json;
using CloudArchive.Functions.Functions;
using CloudArchive.Functions.Invocation;
using Xunit;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>The ExportResearchCopies function.json as shipped, and the queue message contract.</summary>
public sealed class ExportFunctionFilesTests
{
    [Fact]
    public void ExportResearchCopies_is_a_queue_trigger_on_export_requests_with_the_binding_the_handler_reads()
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, ExportResearchCopiesFunction.Name, "function.json"))).RootElement;
        var binding = Assert.Single(root.GetProperty("bindings").EnumerateArray());

        Assert.Equal("queueTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("in", binding.GetProperty("direction").GetString());
        Assert.Equal(ExportResearchCopiesFunction.MessageBinding, binding.GetProperty("name").GetString());
        Assert.Equal("export-requests", binding.GetProperty("queueName").GetString());
        Assert.Equal("CloudArchiveQueues", binding.GetProperty("connection").GetString());
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
        var ex = Assert.Throws<InvalidInvocationException>(() => ExportRequestMessage.Parse(json));
        Assert.DoesNotContain("Jane", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LUNG 1", ex.Message, StringComparison.Ordinal);
    }
}
