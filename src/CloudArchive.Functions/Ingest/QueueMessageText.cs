using System.Text;
using CloudArchive.Functions.Middleware;

namespace CloudArchive.Functions.Ingest;

/// <summary>
/// The JSON carried by a queue message. host.json sets <c>messageEncoding</c> to <c>none</c>, so the trigger hands over
/// the message text as stored, and who enqueued it decides its form: Event Grid and the Azure SDKs' default write base64
/// of the JSON, the CLI and Storage Explorer may write the JSON itself. Both are accepted; nothing else is.
/// </summary>
public static class QueueMessageText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Text that starts with '{' or '[' is JSON as is; anything else must be strict base64 of UTF-8 JSON.</summary>
    /// <exception cref="InvalidMessageException">The text is neither JSON nor base64 of JSON.</exception>
    public static string DecodeJson(string? message)
    {
        var text = (message ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            throw new InvalidMessageException("The queue message is empty.");
        }

        if (text[0] is '{' or '[')
        {
            return text;
        }

        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            throw new InvalidMessageException("The queue message is neither JSON nor base64-encoded JSON.");
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(buffer, 0, written).Trim();
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidMessageException("The queue message is base64 but not of UTF-8 text.", ex);
        }

        if (decoded.Length == 0 || decoded[0] is not ('{' or '['))
        {
            throw new InvalidMessageException("The queue message is base64 but does not decode to JSON.");
        }

        return decoded;
    }
}
