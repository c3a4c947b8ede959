using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CloudArchive.Functions.Invocation;

/// <summary>
/// Decoding of values as the Functions host encodes them (azure-functions-host
/// ScriptInvocationContextExtensions): anything that is not a JSON object is serialized with
/// <c>JsonConvert.SerializeObject</c> and then placed in the payload as a string, so the queue text
/// <c>{"id":1}</c> arrives as the JSON string <c>"\"{\\\"id\\\":1}\""</c>. Queue text itself may be
/// base64 (Event Grid's and the SDKs' default) or raw, depending on who enqueued it.
/// </summary>
public static class InvocationValues
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The string a binding value stands for: a JSON string is unwrapped, and unwrapped once more when
    /// its content is itself a JSON string literal (the double encoding). Objects and arrays are returned
    /// as their JSON text, numbers and booleans as their literal text.
    /// </summary>
    public static string DecodeString(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
                {
                    try
                    {
                        using var inner = JsonDocument.Parse(text);
                        if (inner.RootElement.ValueKind == JsonValueKind.String)
                        {
                            return inner.RootElement.GetString()!;
                        }
                    }
                    catch (JsonException)
                    {
                        // Not a JSON string literal after all: the text is the value.
                    }
                }

                return text;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                throw new InvalidInvocationException("Expected a value, found null.");
            default:
                return value.GetRawText();
        }
    }

    /// <summary>
    /// The JSON text of a queue message: the binding value is decoded (<see cref="DecodeString"/>); text
    /// that starts with '{' or '[' is JSON as is, anything else must be strict base64 of UTF-8 JSON.
    /// </summary>
    /// <exception cref="InvalidInvocationException">The text is neither JSON nor base64 of JSON.</exception>
    public static string DecodeQueueMessageJson(JsonElement value)
    {
        var text = DecodeString(value).Trim();
        if (text.Length == 0)
        {
            throw new InvalidInvocationException("The queue message is empty.");
        }

        if (text[0] is '{' or '[')
        {
            return text;
        }

        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            throw new InvalidInvocationException("The queue message is neither JSON nor base64-encoded JSON.");
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(buffer, 0, written).Trim();
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidInvocationException("The queue message is base64 but not of UTF-8 text.", ex);
        }

        if (decoded.Length == 0 || decoded[0] is not ('{' or '['))
        {
            throw new InvalidInvocationException("The queue message is base64 but does not decode to JSON.");
        }

        return decoded;
    }

    /// <summary>An integer from a number or a (double-)encoded numeric string, or null.</summary>
    public static int? TryGetInt(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetInt32(out var number) ? number : null;
        }

        if (value.ValueKind == JsonValueKind.String
            && int.TryParse(DecodeString(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        return null;
    }
}
