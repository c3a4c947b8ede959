using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Tests.Timers;
using Microsoft.Azure.Functions.Worker;
using Xunit;

namespace CloudArchive.Functions.Tests.LocalHostCatalog;

public sealed class LocalFunctionCatalogTests
{
    [Fact]
    public void Two_functions_with_one_name_stop_the_local_host_from_starting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new LocalFunctionCatalog([typeof(ProbeTimer), typeof(SecondProbeTimer)]));

        Assert.Contains(ProbeTimer.Name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_without_a_trigger_the_local_host_runs_is_refused_by_name()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new LocalFunctionCatalog([typeof(NoTrigger)]));

        Assert.Contains("NoTrigger", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classes_without_functions_are_passed_over()
    {
        var catalog = new LocalFunctionCatalog([typeof(LocalFunctionCatalogTests), typeof(ProbeTimer)]);

        var function = Assert.Single(catalog.Functions);
        Assert.Equal(LocalTriggerKind.Timer, function.Trigger);
        Assert.Throws<KeyNotFoundException>(() => catalog.Get("Missing"));
    }

    public sealed class SecondProbeTimer
    {
        [Function(ProbeTimer.Name)]
        public Task RunAsync([TimerTrigger("0 0 * * * *")] TimerInfo timer) => Task.CompletedTask;
    }

    public sealed class NoTrigger
    {
        [Function("NoTrigger")]
        public Task RunAsync(string input) => Task.CompletedTask;
    }
}
