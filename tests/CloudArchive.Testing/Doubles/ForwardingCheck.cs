using System.Reflection;

namespace CloudArchive.Testing.Doubles;

/// <summary>
/// Checks that a wrapping test double (a port implemented by wrapping an inner implementation) forwards every member
/// of the port to its inner implementation, so a test through the double takes the path production takes; a member
/// added to the port and not forwarded fails the check.
/// </summary>
public static class ForwardingCheck
{
    /// <summary>
    /// Wraps a <see cref="CallRecorder"/> of <typeparamref name="T"/> with <paramref name="wrap"/> for each member of
    /// <typeparamref name="T"/> (and of the interfaces it extends), calls the member on the double with inert
    /// arguments, and returns the members the inner implementation did not see. Members in
    /// <paramref name="altered"/> (those the double deliberately changes) are not called.
    /// </summary>
    public static async Task<IReadOnlyList<string>> UnforwardedMembersAsync<T>(Func<T, T> wrap, params string[] altered)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(wrap);
        var missing = new List<string>();
        foreach (var member in MembersOf(typeof(T)).Where(m => !altered.Contains(m.Name)))
        {
            var (inner, recorder) = CallRecorder.For<T>();
            var subject = wrap(inner);
            var result = member.Invoke(subject, [.. member.GetParameters().Select(p => ArgumentFor(p.ParameterType))]);
            await CompleteAsync(result).ConfigureAwait(false);
            if (!recorder.Calls.Contains(member.Name))
            {
                missing.Add(member.Name);
            }
        }

        return missing;
    }

    /// <summary>Every method (property accessors included) of an interface and of the interfaces it extends.</summary>
    public static IEnumerable<MethodInfo> MembersOf(Type port) =>
        new[] { port }.Concat(port.GetInterfaces()).SelectMany(i => i.GetMethods()).Where(m => !m.IsStatic);

    private static object? ArgumentFor(Type type)
    {
        if (type == typeof(string))
        {
            return "forwarding-check";
        }

        if (type == typeof(Stream))
        {
            return new MemoryStream();
        }

        if (type == typeof(IReadOnlyDictionary<string, string>))
        {
            return new Dictionary<string, string>();
        }

        if (type == typeof(IReadOnlyCollection<string>) || type == typeof(IReadOnlyList<string>))
        {
            return Array.Empty<string>();
        }

        if (type == typeof(Func<IReadOnlyDictionary<string, string>>))
        {
            return (Func<IReadOnlyDictionary<string, string>>)(() => new Dictionary<string, string>());
        }

        return CallRecorder.InertValue(type);
    }

    /// <summary>Awaits a returned task and drains a returned sequence, so a double that forwards lazily is seen forwarding.</summary>
    private static async Task CompleteAsync(object? result)
    {
        if (result is null)
        {
            return;
        }

        var type = result.GetType();
        if (result is Task task)
        {
            await task.ConfigureAwait(false);
        }
        else if (result is ValueTask valueTask)
        {
            await valueTask.ConfigureAwait(false);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            await ((Task)type.GetMethod("AsTask")!.Invoke(result, null)!).ConfigureAwait(false);
        }
        else if (type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)) is { } sequence)
        {
            var drain = typeof(ForwardingCheck).GetMethod(nameof(DrainAsync), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(sequence.GetGenericArguments()[0]);
            await ((Task)drain.Invoke(null, [result])!).ConfigureAwait(false);
        }
    }

    private static async Task DrainAsync<TItem>(IAsyncEnumerable<TItem> sequence)
    {
        await foreach (var item in sequence.ConfigureAwait(false))
        {
            _ = item;
        }
    }
}
