using System.Globalization;
using System.Text.Json;
using CloudArchive.Functions.DicomWeb.Clinical;
using CloudArchive.Functions.DicomWeb.Stow;
using CloudArchive.Functions.Export;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Research;
using Xunit;

namespace CloudArchive.Functions.Tests;

/// <summary>
/// host.json and the functions.metadata the Worker SDK generates, as shipped next to the app (the project reference
/// copies both into this test's output): what the Functions host and the infrastructure rely on, and what the local host
/// must agree with.
/// </summary>
public sealed class HostFilesTests
{
    private static JsonElement Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, file);
        Assert.True(File.Exists(path), $"{path} is missing: build src/CloudArchive.Functions (the Worker SDK generates it) before running the tests.");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    private static JsonElement Queues => Load("host.json").GetProperty("extensions").GetProperty("queues");

    private static TimeSpan Duration(JsonElement value) => TimeSpan.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private static JsonElement Function(string name) =>
        Assert.Single(Load("functions.metadata").EnumerateArray(), f => f.GetProperty("name").GetString() == name);

    [Fact]
    public void Host_json_is_a_v2_isolated_worker_host_without_custom_handler_or_extension_bundle()
    {
        var host = Load("host.json");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.False(host.TryGetProperty("customHandler", out _));
        // The isolated worker brings its extensions as packages (functions.metadata, extensions.json); a bundle would
        // load a second, possibly different, set.
        Assert.False(host.TryGetProperty("extensionBundle", out _));
        Assert.InRange(Duration(host.GetProperty("functionTimeout")), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
    }

    [Fact]
    public void Queue_triggers_take_eight_messages_at_a_time_retry_after_thirty_seconds_and_poison_after_five_deliveries()
    {
        var queues = Queues;

        // "none": the function decodes base64 itself, so both Event Grid's and raw JSON messages are accepted.
        Assert.Equal("none", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(8, queues.GetProperty("batchSize").GetInt32());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(30), Duration(queues.GetProperty("visibilityTimeout")));
    }

    [Fact]
    public void The_local_host_defaults_mirror_host_json()
    {
        var host = Load("host.json");
        var queues = Queues;
        var options = new LocalHostOptions();

        Assert.Equal(queues.GetProperty("batchSize").GetInt32(), options.MaxConcurrency);
        Assert.Equal(queues.GetProperty("maxDequeueCount").GetInt32(), options.MaxDequeueCount);
        Assert.Equal(Duration(queues.GetProperty("visibilityTimeout")), options.RetryDelay);
        Assert.Equal(Duration(queues.GetProperty("maxPollingInterval")), options.MaxPollingInterval);
        Assert.Equal(Duration(host.GetProperty("functionTimeout")), options.InvocationTimeout);
    }

    [Fact]
    public void Generated_metadata_names_the_functions_bindings_infra_relies_on()
    {
        var functions = Load("functions.metadata").EnumerateArray().ToList();

        Assert.Equal([CloudArchive.Functions.Lifecycle.AuditSeal.Name, ClinicalDicomWeb.Name, ExportResearchCopies.Name, CloudArchive.Functions.Lifecycle.FixitySweep.Name, IngestInstance.Name, CloudArchive.Functions.Lifecycle.Reconcile.Name, "ResearchApi", CloudArchive.Functions.Lifecycle.RetentionSweep.Name, StowRs.Name], functions.Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(functions, f =>
        {
            Assert.Equal("CloudArchive.Functions.dll", f.GetProperty("scriptFile").GetString());
            Assert.Equal("dotnet-isolated", f.GetProperty("language").GetString());
        });

        foreach (var (name, queue) in new[] { (IngestInstance.Name, "ingest-events"), (ExportResearchCopies.Name, "export-requests") })
        {
            var trigger = Assert.Single(Function(name).GetProperty("bindings").EnumerateArray());
            Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal("In", trigger.GetProperty("direction").GetString(), ignoreCase: true);
            Assert.Equal(queue, trigger.GetProperty("queueName").GetString());
            Assert.Equal("CloudArchiveQueues", trigger.GetProperty("connection").GetString());
        }

        // Each schedule is an app setting (infra writes it), resolved by the host.
        foreach (var (name, schedule) in new[]
        {
            (CloudArchive.Functions.Lifecycle.Reconcile.Name, "%CloudArchive:Schedules:Reconcile%"),
            (CloudArchive.Functions.Lifecycle.FixitySweep.Name, "%CloudArchive:Schedules:FixitySweep%"),
            (CloudArchive.Functions.Lifecycle.RetentionSweep.Name, "%CloudArchive:Schedules:RetentionSweep%"),
        })
        {
            var timer = Assert.Single(Function(name).GetProperty("bindings").EnumerateArray());
            Assert.Equal("timerTrigger", timer.GetProperty("type").GetString());
            Assert.Equal(schedule, timer.GetProperty("schedule").GetString());
        }

        var api = Function("ResearchApi");
        Assert.Equal(typeof(ResearchApi).FullName + ".RunAsync", api.GetProperty("entryPoint").GetString());
        var bindings = api.GetProperty("bindings").EnumerateArray().ToList();
        Assert.Equal(2, bindings.Count);
        var http = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal("In", http.GetProperty("direction").GetString(), ignoreCase: true);
        // Anonymous: the caller is authenticated by App Service Authentication in front of the app, not by function keys.
        Assert.Equal("Anonymous", http.GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Equal(["get"], http.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        Assert.Equal("research/{*path}", http.GetProperty("route").GetString());
        var output = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "http");
        Assert.Equal("Out", output.GetProperty("direction").GetString(), ignoreCase: true);

        // Clinical DICOMweb: GET only, so the STOW-RS function's POST routes on the same root stay its own.
        var clinical = Assert.Single(Function(ClinicalDicomWeb.Name).GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal(["get"], clinical.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        Assert.Equal(ClinicalDicomWeb.Route, clinical.GetProperty("route").GetString());
        Assert.Equal("Anonymous", clinical.GetProperty("authLevel").GetString(), ignoreCase: true);
        var stow = Assert.Single(Function(CloudArchive.Functions.DicomWeb.Stow.StowRs.Name).GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal(["post"], stow.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        Assert.Equal("dicomweb/studies/{study?}", stow.GetProperty("route").GetString());
        Assert.Equal("Anonymous", stow.GetProperty("authLevel").GetString(), ignoreCase: true);
        var seal = Assert.Single(Function(CloudArchive.Functions.Lifecycle.AuditSeal.Name).GetProperty("bindings").EnumerateArray());
        Assert.Equal("timerTrigger", seal.GetProperty("type").GetString());
        Assert.Equal("%CloudArchive:Schedules:AuditSeal%", seal.GetProperty("schedule").GetString());
    }

    [Fact]
    public void The_local_host_runs_exactly_the_functions_the_metadata_declares_with_the_same_triggers()
    {
        var catalog = LocalFunctionCatalog.ForAssembly(typeof(IngestInstance).Assembly);
        var metadata = Load("functions.metadata").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, StringComparer.Ordinal);

        Assert.Equal(metadata.Keys.Order(StringComparer.Ordinal), catalog.Functions.Select(f => f.Name));
        foreach (var function in catalog.Functions)
        {
            var declared = metadata[function.Name];
            var trigger = declared.GetProperty("bindings").EnumerateArray().First(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            Assert.Equal(function.Type.FullName + "." + function.Method.Name, declared.GetProperty("entryPoint").GetString());
            switch (function.Trigger)
            {
                case LocalTriggerKind.Queue:
                    Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
                    Assert.Equal(trigger.GetProperty("queueName").GetString(), function.Target);
                    Assert.Equal(trigger.GetProperty("connection").GetString(), function.Connection);
                    break;
                case LocalTriggerKind.Http:
                    Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
                    Assert.Equal(trigger.GetProperty("route").GetString(), function.Target);
                    Assert.Equal(trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()), function.HttpMethods);
                    break;
                case LocalTriggerKind.Timer:
                    Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
                    Assert.Equal(trigger.GetProperty("schedule").GetString(), function.Target);
                    break;
                default:
                    Assert.Fail($"{function.Name}: unexpected trigger {function.Trigger}");
                    break;
            }
        }
    }
}
