using System.Globalization;
using System.Text.Json;
using CloudArchive.Azure.Storage.Queues;

namespace CloudArchive.Functions.LocalTriggers;

/// <summary>
/// Writes the body the Functions host POSTs for a queue trigger: <c>{"Data":{binding: text},"Metadata":{...}}</c>,
/// with string values JSON-encoded twice as the host does (azure-facts §1.2), so the handler sees locally
/// what it sees in Azure.
/// </summary>
public static class HostInvocationPayload
{
    /// <summary>Builds the payload for one received queue message.</summary>
    /// <param name="bindingName">The trigger binding name in function.json (<c>message</c>).</param>
    /// <param name="functionName">The function name (sys.MethodName).</param>
    /// <param name="message">The received message.</param>
    /// <param name="now">The invocation time.</param>
    public static string Create(string bindingName, string functionName, QueueMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("Data");
            json.WriteString(bindingName, Encode(message.Text));
            json.WriteEndObject();
            json.WriteStartObject("Metadata");
            json.WriteString("DequeueCount", message.DequeueCount.ToString(CultureInfo.InvariantCulture));
            json.WriteString("Id", Encode(message.MessageId));
            WriteTime(json, "InsertionTime", message.InsertedOn);
            WriteTime(json, "ExpirationTime", message.ExpiresOn);
            WriteTime(json, "NextVisibleTime", message.NextVisibleOn);
            json.WriteString("PopReceipt", Encode(message.PopReceipt));
            json.WriteStartObject("sys");
            json.WriteString("MethodName", functionName);
            json.WriteString("UtcNow", now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("RandGuid", Guid.NewGuid().ToString("D"));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A string value as the host sends it: serialized to a JSON string literal (which is then itself a JSON string).</summary>
    private static string Encode(string value) => JsonSerializer.Serialize(value);

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            // DateTimeOffset values are serialized by the host as JSON dates (a quoted ISO string), then string-encoded again.
            json.WriteString(name, Encode(time.ToString("O", CultureInfo.InvariantCulture)));
        }
    }
}
