using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Middleware;

/// <summary>
/// The correlation id of an invocation: its invocation id, assigned by the host (or the local host), never a value a
/// client sent. Log lines and audit records carry it so an operator can follow one upload or request across both.
/// </summary>
public static class CorrelationIds
{
    private const string ItemKey = "CloudArchive.CorrelationId";

    /// <summary>The invocation's correlation id (assigned on first use, then stable for the invocation).</summary>
    public static string CorrelationId(this FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var value) && value is string id)
        {
            return id;
        }

        id = IsSafe(context.InvocationId) ? context.InvocationId : Guid.NewGuid().ToString("D");
        context.Items[ItemKey] = id;
        return id;
    }

    /// <summary>True for an id that may be written to a log as is: short, ASCII letters, digits and <c>-_.:</c>.</summary>
    public static bool IsSafe(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
