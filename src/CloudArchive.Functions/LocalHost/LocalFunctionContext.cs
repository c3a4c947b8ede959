using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// The <see cref="FunctionContext"/> the local host hands to the middleware and the function, filled the way the worker
/// fills it for the same trigger: invocation id, function name, trigger metadata in the binding data, the invocation's
/// scoped services, and for HTTP the ASP.NET Core context under the key the worker's HTTP extension reads.
/// </summary>
internal sealed class LocalFunctionContext : FunctionContext
{
    /// <summary>The <see cref="FunctionContext.Items"/> key the ASP.NET Core integration stores the HttpContext under.</summary>
    internal const string HttpContextItemKey = "HttpRequestContext";

    private readonly LocalFunction _function;

    public LocalFunctionContext(LocalFunction function, IServiceProvider services, IReadOnlyDictionary<string, object?> bindingData, CancellationToken cancellationToken, HttpContext? http = null)
    {
        _function = function;
        InstanceServices = services;
        BindingContext = new LocalBindingContext(bindingData);
        CancellationToken = cancellationToken;
        FunctionDefinition = new LocalFunctionDefinition(function);
        if (http is not null)
        {
            Items[HttpContextItemKey] = http;
        }
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString("D");

    public override string FunctionId => _function.Name;

    public override TraceContext TraceContext { get; } = new LocalTraceContext();

    public override BindingContext BindingContext { get; }

    public override RetryContext RetryContext => null!;

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features { get; } = new LocalInvocationFeatures();

    public override CancellationToken CancellationToken { get; }

    private sealed class LocalBindingContext(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = data;
    }

    private sealed class LocalTraceContext : TraceContext
    {
        public override string TraceParent => string.Empty;

        public override string TraceState => string.Empty;
    }

    private sealed class LocalFunctionDefinition(LocalFunction function) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters { get; } =
            [.. function.Method.GetParameters().Select(p => new FunctionParameter(p.Name ?? string.Empty, p.ParameterType))];

        public override string PathToAssembly => function.Type.Assembly.Location;

        public override string EntryPoint => function.Type.FullName + "." + function.Method.Name;

        public override string Id => function.Name;

        public override string Name => function.Name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    private sealed class LocalInvocationFeatures : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = [];

        public T? Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;

        public void Set<T>(T instance)
        {
            if (instance is null)
            {
                _features.Remove(typeof(T));
            }
            else
            {
                _features[typeof(T)] = instance;
            }
        }

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
