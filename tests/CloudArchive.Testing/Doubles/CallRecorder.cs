using System.Reflection;
using System.Runtime.CompilerServices;

namespace CloudArchive.Testing.Doubles;

/// <summary>
/// A <see cref="DispatchProxy"/> stand-in for an interface that records which members were called and answers each
/// with an inert result (a completed task, an empty sequence, a blank object), so a wrapping test double can be put
/// around it and checked for forwarding.
/// </summary>
public class CallRecorder : DispatchProxy
{
    private readonly List<string> _calls = [];

    /// <summary>The names of the members called so far (property accessors as <c>get_Name</c>).</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Creates a recorder that implements <typeparamref name="T"/>.</summary>
    public static (T Proxy, CallRecorder Recorder) For<T>()
        where T : class
    {
        var proxy = Create<T, CallRecorder>();
        return (proxy, (CallRecorder)(object)proxy);
    }

    /// <summary>An inert value of <paramref name="type"/>: a completed task or empty sequence of one, a blank object, or the default.</summary>
    public static object? InertValue(Type type)
    {
        if (type == typeof(void))
        {
            return null;
        }

        if (type == typeof(Task))
        {
            return Task.CompletedTask;
        }

        if (type == typeof(ValueTask))
        {
            return ValueTask.CompletedTask;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var argument = type.GetGenericArguments()[0];
            if (definition == typeof(Task<>))
            {
                return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(argument).Invoke(null, [InertValue(argument)]);
            }

            if (definition == typeof(ValueTask<>))
            {
                return Activator.CreateInstance(type, InertValue(argument));
            }

            if (definition == typeof(IAsyncEnumerable<>))
            {
                return typeof(CallRecorder).GetMethod(nameof(EmptyAsync), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(argument).Invoke(null, null);
            }
        }

        if (type.IsValueType)
        {
            return Activator.CreateInstance(type);
        }

        // A blank instance of a concrete result type (records of the ports), so a double that inspects the result
        // before returning it does not fail on null; abstract types, interfaces, strings and arrays get null.
        return type.IsAbstract || type.IsInterface || type == typeof(string) || type.IsArray ? null : RuntimeHelpers.GetUninitializedObject(type);
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        lock (_calls)
        {
            _calls.Add(targetMethod.Name);
        }

        return InertValue(targetMethod.ReturnType);
    }

    private static async IAsyncEnumerable<TItem> EmptyAsync<TItem>()
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }
}
