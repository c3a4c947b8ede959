using CloudArchive.Functions.LocalHost;
using CloudArchive.Functions.Middleware;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace CloudArchive.Functions.Tests.LocalHostCatalog;

public sealed class LocalFunctionInvokerTests
{
    [Fact]
    public async Task A_parameter_the_local_host_cannot_bind_fails_the_invocation_naming_it()
    {
        var invoker = Invoker(typeof(Unbindable));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            invoker.InvokeQueueAsync(invoker.Catalog.Get(Unbindable.Name), "{}", "m1", 1, null, TestContext.Current.CancellationToken));

        Assert.Contains("'count'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_is_only_invoked_through_its_own_trigger()
    {
        var invoker = Invoker(typeof(Unbindable));

        await Assert.ThrowsAsync<ArgumentException>(() =>
            invoker.InvokeTimerAsync(invoker.Catalog.Get(Unbindable.Name), new TimerInfo(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_function_class_is_created_per_invocation_and_disposed_after_it()
    {
        var invoker = Invoker(typeof(Counting));
        var function = invoker.Catalog.Get(Counting.Name);
        Counting.Disposed = 0;

        await invoker.InvokeQueueAsync(function, "{}", "m1", 1, null, TestContext.Current.CancellationToken);
        await invoker.InvokeQueueAsync(function, "{}", "m2", 2, null, TestContext.Current.CancellationToken);

        Assert.Equal(2, Counting.Disposed);
    }

    private static LocalFunctionInvoker Invoker(Type function) =>
        new(new ServiceCollection().BuildServiceProvider(), new LocalFunctionCatalog([function]), new InvocationMiddleware(NullLogger<InvocationMiddleware>.Instance));

    public sealed class Unbindable
    {
        public const string Name = "Unbindable";

        [Function(Name)]
        public Task RunAsync([QueueTrigger("q")] string message, int count) => Task.CompletedTask;
    }

    public sealed class Counting : IDisposable
    {
        public const string Name = "Counting";

        public static int Disposed;

        [Function(Name)]
        public Task RunAsync([QueueTrigger("q")] string message, FunctionContext context) => Task.CompletedTask;

        public void Dispose() => Interlocked.Increment(ref Disposed);
    }
}
