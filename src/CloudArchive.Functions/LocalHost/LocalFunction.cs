using System.Reflection;

namespace CloudArchive.Functions.LocalHost;

/// <summary>One function as the local host sees it: read from the same attributes functions.metadata is generated from.</summary>
/// <param name="Name">The <c>[Function]</c> name.</param>
/// <param name="Type">The function class.</param>
/// <param name="Method">The <c>[Function]</c> method.</param>
/// <param name="Trigger">What triggers it.</param>
/// <param name="Target">The queue name, the route (without the <c>api/</c> prefix) or the schedule.</param>
/// <param name="Connection">The queue trigger's connection setting, else null.</param>
/// <param name="HttpMethods">The HTTP trigger's methods, else empty.</param>
internal sealed record LocalFunction(string Name, Type Type, MethodInfo Method, LocalTriggerKind Trigger, string Target, string? Connection, IReadOnlyList<string> HttpMethods);
