using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// The functions of an assembly, found by their <c>[Function]</c> attributes and trigger attributes: the same source
/// the Worker SDK generates functions.metadata from, so the local host listens to the queues, routes and schedules the
/// Functions host would, and a new function class needs no second registration.
/// </summary>
internal sealed class LocalFunctionCatalog
{
    /// <param name="types">The classes to look at; those without a <c>[Function]</c> method are passed over.</param>
    /// <exception cref="InvalidOperationException">Two functions share a name, or a function has a trigger the local host does not run.</exception>
    public LocalFunctionCatalog(IEnumerable<Type> types)
    {
        Functions = [.. types.Where(t => t is { IsClass: true, IsAbstract: false }).SelectMany(Discover).OrderBy(f => f.Name, StringComparer.Ordinal)];
        var duplicate = Functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two functions are named '{duplicate.Key}'.");
        }
    }

    public IReadOnlyList<LocalFunction> Functions { get; }

    /// <summary>The function named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such function.</exception>
    public LocalFunction Get(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal)) ?? throw new KeyNotFoundException($"No function named '{name}'.");

    /// <summary>The functions of every class in <paramref name="assembly"/>.</summary>
    public static LocalFunctionCatalog ForAssembly(Assembly assembly) => new(assembly.GetTypes());

    private static IEnumerable<LocalFunction> Discover(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(m => Describe(m.GetCustomAttribute<FunctionAttribute>()!.Name, type, m));

    private static LocalFunction Describe(string name, Type type, MethodInfo method)
    {
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queue)
            {
                return new LocalFunction(name, type, method, LocalTriggerKind.Queue, queue.QueueName, queue.Connection, []);
            }

            if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } http)
            {
                var methods = http.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : ["GET", "POST"];
                return new LocalFunction(name, type, method, LocalTriggerKind.Http, http.Route ?? name, null, methods);
            }

            if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
            {
                return new LocalFunction(name, type, method, LocalTriggerKind.Timer, timer.Schedule, null, []);
            }
        }

        throw new InvalidOperationException($"Function '{name}' has a trigger the local host does not run.");
    }
}
