using System.Text.Json;
using CloudArchive.Functions.Functions;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>host.json and function.json as shipped next to the executable.</summary>
public sealed class HostFilesTests
{
    private static JsonElement Load(params string[] path) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine([AppContext.BaseDirectory, .. path]))).RootElement.Clone();

    [Fact]
    public void Host_json_describes_the_custom_handler_and_the_bundle()
    {
        var host = Load("host.json");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("CloudArchive.Functions", host.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.False(host.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.GetProperty("extensionBundle").GetProperty("id").GetString());
        Assert.Equal("[4.*, 5.0.0)", host.GetProperty("extensionBundle").GetProperty("version").GetString());
        Assert.True(TimeSpan.TryParse(host.GetProperty("functionTimeout").GetString(), System.Globalization.CultureInfo.InvariantCulture, out var timeout));
        Assert.InRange(timeout, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
    }

    [Fact]
    public void Queue_message_encoding_is_set_explicitly()
    {
        var queues = Load("host.json").GetProperty("extensions").GetProperty("queues");

        // "none": the handler decodes base64 itself, so both Event Grid's and raw messages are accepted.
        Assert.Equal("none", queues.GetProperty("messageEncoding").GetString());
        Assert.True(queues.GetProperty("maxDequeueCount").GetInt32() >= 1);
    }

    [Fact]
    public void IngestInstance_is_a_queue_trigger_on_ingest_events_with_the_binding_the_handler_reads()
    {
        var binding = Assert.Single(Load(IngestInstanceFunction.Name, "function.json").GetProperty("bindings").EnumerateArray());

        Assert.Equal("queueTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("in", binding.GetProperty("direction").GetString());
        Assert.Equal(IngestInstanceFunction.MessageBinding, binding.GetProperty("name").GetString());
        Assert.Equal("ingest-events", binding.GetProperty("queueName").GetString());
        Assert.Equal("CloudArchiveQueues", binding.GetProperty("connection").GetString());
        Assert.False(binding.TryGetProperty("dataType", out _));
    }
}
