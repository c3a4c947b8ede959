using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudArchive.Functions.Middleware;

namespace CloudArchive.Functions.Ingest;

/// <summary>
/// Parses BlobCreated events in the Event Grid schema (<c>eventType</c>, <c>subject</c>, <c>eventTime</c>,
/// <c>data</c>) or CloudEvents 1.0 (<c>specversion</c>, <c>type</c>, <c>subject</c>, <c>time</c>,
/// <c>data</c>), one event or an array of events. The container and blob name come from the subject
/// <c>/blobServices/default/containers/{container}/blobs/{name}</c> and from <c>data.url</c>
/// (host-style <c>https://acct.blob.core.windows.net/{container}/{name}</c> or path-style
/// <c>http://127.0.0.1:10000/{account}/{container}/{name}</c> as Azurite uses); when both are present they
/// must agree. Error messages never quote the blob name.
/// </summary>
public static partial class BlobCreatedEventParser
{
    private const string SubjectPrefix = "/blobServices/default/containers/";

    /// <summary>The most events accepted in one message.</summary>
    public const int MaxEventsPerMessage = 100;

    /// <summary>Parses the JSON text of a queue message into its events.</summary>
    /// <param name="json">The message text (already decoded from base64 if it was).</param>
    /// <param name="expectedContainer">Only events for this container are accepted.</param>
    /// <exception cref="InvalidMessageException">The text is not BlobCreated events for the container.</exception>
    public static IReadOnlyList<BlobCreatedEvent> Parse(string json, string expectedContainer)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrEmpty(expectedContainer);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw new InvalidMessageException("The queue message is not valid JSON.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                return [ParseOne(root, expectedContainer, 0)];
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidMessageException("The queue message is neither an event object nor an array of events.");
            }

            var count = root.GetArrayLength();
            if (count == 0 || count > MaxEventsPerMessage)
            {
                throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture,
                    $"The queue message holds {count} events; between 1 and {MaxEventsPerMessage} are accepted."));
            }

            var events = new List<BlobCreatedEvent>(count);
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                events.Add(ParseOne(item, expectedContainer, index++));
            }

            return events;
        }
    }

    private static BlobCreatedEvent ParseOne(JsonElement e, string expectedContainer, int index)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"event [{index}]");
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidMessageException($"{where} is not a JSON object.");
        }

        var isCloudEvent = e.TryGetProperty("specversion", out _);
        var type = String(e, isCloudEvent ? "type" : "eventType");
        if (type is null)
        {
            throw new InvalidMessageException($"{where} has no {(isCloudEvent ? "type" : "eventType")}; is this an Event Grid event?");
        }

        if (!string.Equals(type, BlobCreatedEvent.EventTypeName, StringComparison.Ordinal))
        {
            throw new InvalidMessageException($"{where} is a '{Sanitize(type)}' event; this function handles only {BlobCreatedEvent.EventTypeName} (check the subscription's event type filter).");
        }

        var id = String(e, "id");
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new InvalidMessageException($"{where} has no id.");
        }

        var data = e.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var hasData = data.ValueKind == JsonValueKind.Object;

        (string Container, string Name)? fromSubject = null;
        var subject = String(e, "subject");
        if (subject is not null)
        {
            fromSubject = ParseSubject(subject) ?? throw new InvalidMessageException(
                $"{where}: the subject is not of the form {SubjectPrefix}{{container}}/blobs/{{name}}.");
        }

        Uri? url = null;
        (string Container, string Name)? fromUrl = null;
        if (hasData && String(data, "url") is { } urlText)
        {
            if (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                throw new InvalidMessageException($"{where}: data.url is not an http(s) URL.");
            }

            fromUrl = ParseUrl(url) ?? throw new InvalidMessageException($"{where}: data.url does not name a container and a blob.");
        }

        var (container, name) = (fromSubject, fromUrl) switch
        {
            ({ } s, { } u) when s.Container == u.Container && (s.Name == u.Name || s.Name == Uri.EscapeDataString(u.Name) || s.Name == EscapePath(u.Name)) => u,
            ({ }, { }) => throw new InvalidMessageException($"{where}: the subject and data.url name different blobs."),
            ({ } s, null) => s,
            (null, { } u) => u,
            _ => throw new InvalidMessageException($"{where} has neither a subject nor data.url."),
        };

        if (!ContainerPattern().IsMatch(container))
        {
            throw new InvalidMessageException($"{where}: '{Sanitize(container)}' is not a valid container name.");
        }

        if (!string.Equals(container, expectedContainer, StringComparison.Ordinal))
        {
            throw new InvalidMessageException($"{where} is for container '{container}'; this function takes in uploads from '{expectedContainer}' only (check the subscription's subject filter).");
        }

        if (name.Length == 0 || name.Length > 1024)
        {
            throw new InvalidMessageException($"{where}: the blob name is empty or longer than 1024 characters.");
        }

        DateTimeOffset? time = null;
        if (String(e, isCloudEvent ? "time" : "eventTime") is { } timeText)
        {
            if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                throw new InvalidMessageException($"{where}: the event time is not a date-time.");
            }

            time = parsed;
        }

        long? length = null;
        if (hasData && data.TryGetProperty("contentLength", out var lengthElement) && lengthElement.ValueKind != JsonValueKind.Null)
        {
            if (lengthElement.ValueKind != JsonValueKind.Number || !lengthElement.TryGetInt64(out var l) || l < 0)
            {
                throw new InvalidMessageException($"{where}: data.contentLength is not a non-negative integer.");
            }

            length = l;
        }

        return new BlobCreatedEvent
        {
            Id = id,
            Container = container,
            BlobName = name,
            Time = time,
            Url = url,
            ETag = hasData ? String(data, "eTag") : null,
            ContentLength = length,
            Api = hasData ? String(data, "api") : null,
            BlobType = hasData ? String(data, "blobType") : null,
            Sequencer = hasData ? String(data, "sequencer") : null,
            IsCloudEvent = isCloudEvent,
        };
    }

    private static (string Container, string Name)? ParseSubject(string subject)
    {
        if (!subject.StartsWith(SubjectPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = subject[SubjectPrefix.Length..];
        var marker = rest.IndexOf("/blobs/", StringComparison.Ordinal);
        if (marker <= 0)
        {
            return null;
        }

        var name = rest[(marker + "/blobs/".Length)..];
        return name.Length == 0 ? null : (rest[..marker], name);
    }

    private static (string Container, string Name)? ParseUrl(Uri url)
    {
        // AbsolutePath keeps percent-escapes; split first so an escaped '/' in a name cannot move a boundary.
        var segments = url.AbsolutePath.TrimStart('/').Split('/');
        var skip = IsPathStyle(url) ? 1 : 0;
        if (segments.Length < skip + 2)
        {
            return null;
        }

        var container = Uri.UnescapeDataString(segments[skip]);
        var name = string.Join('/', segments.Skip(skip + 1).Select(Uri.UnescapeDataString));
        return name.Length == 0 ? null : (container, name);
    }

    // Azurite and the emulator address accounts by path (http://127.0.0.1:10000/devstoreaccount1/...).
    private static bool IsPathStyle(Uri url) =>
        IPAddress.TryParse(url.Host, out _) || url.IsLoopback || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || url.Host.Equals("azurite", StringComparison.OrdinalIgnoreCase);

    private static string EscapePath(string name) => string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Sanitize(string text) =>
        text.Length <= 80 && text.All(c => c is >= ' ' and <= '~') ? text : "(unprintable or over-long value)";

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"\A(?=.{3,63}\z)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerPattern();
}
