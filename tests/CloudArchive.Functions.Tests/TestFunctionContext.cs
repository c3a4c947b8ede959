using System.Collections.Immutable;
using CloudArchive.Functions.LocalHost;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Tests;

/// <summary>A <see cref="FunctionContext"/> with the invocation id, binding data and (for HTTP) request a test chooses.</summary>
internal sealed class TestFunctionContext : FunctionContext
{
    public TestFunctionContext(string functionName, string invocationId, HttpContext? http = null, CancellationToken cancellationToken = default)
    {
        InvocationId = invocationId;
        FunctionDefinition = new Definition(functionName);
        CancellationToken = cancellationToken;
        if (http is not null)
        {
            // Where the worker's ASP.NET Core integration keeps it; GetHttpContext() reads it from there.
            Items[LocalFunctionContext.HttpContextItemKey] = http;
        }
    }

    public override string InvocationId { get; }

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext { get; } = new NoTrace();

    public override BindingContext BindingContext { get; } = new Bindings();

    public override RetryContext RetryContext => null!;

    public override IServiceProvider InstanceServices { get; set; } = new EmptyServices();

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException();

    public override CancellationToken CancellationToken { get; }

    private sealed class NoTrace : TraceContext
    {
        public override string TraceParent => string.Empty;

        public override string TraceState => string.Empty;
    }

    private sealed class Bindings : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = new Dictionary<string, object?>();
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class Definition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(Definition).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
