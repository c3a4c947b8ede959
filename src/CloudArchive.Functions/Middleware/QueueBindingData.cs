using System.Globalization;
using System.Text.Json;

namespace CloudArchive.Functions.Middleware;

/// <summary>Reads a queue trigger's metadata (<c>DequeueCount</c>, ...) from the binding data the host sends.</summary>
public static class QueueBindingData
{
    /// <summary>The binding data key of the dequeue count.</summary>
    public const string DequeueCountKey = "DequeueCount";

    /// <summary>The message's dequeue count (1 on its first delivery); 1 when the host sent none or an unreadable one.</summary>
    public static int DequeueCount(IReadOnlyDictionary<string, object?> bindingData)
    {
        ArgumentNullException.ThrowIfNull(bindingData);
        if (!bindingData.TryGetValue(DequeueCountKey, out var value) || value is null)
        {
            return 1;
        }

        // The worker passes trigger metadata as JSON-typed values: a number, or its text.
        long? count = value switch
        {
            int i => i,
            long l => l,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var n) => n,
            JsonElement { ValueKind: JsonValueKind.String } e when long.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
        return count is >= 1 and <= int.MaxValue ? (int)count.Value : 1;
    }
}
