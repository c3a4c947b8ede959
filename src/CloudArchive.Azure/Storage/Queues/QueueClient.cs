using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Azure.Core;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Azure.Storage.Http;

namespace CloudArchive.Azure.Storage.Queues;

/// <summary>
/// One queue: create, delete, send, receive with a visibility timeout, delete and update messages, peek,
/// approximate count. Text is encoded as <see cref="StorageOptions.QueueMessageEncoding"/> says. Thread-safe.
/// </summary>
public sealed class QueueClient
{
    /// <summary>The service's limit on one message (the encoded text, in bytes).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
    private readonly StorageConnection _connection;
    private readonly Uri _messagesUri;

    internal QueueClient(StorageConnection connection, string name)
    {
        BlobNames.ValidateContainerName(name);
        _connection = connection;
        Name = name;
        Uri = StorageHttp.Child(connection.QueueServiceUri, name);
        _messagesUri = StorageHttp.Child(Uri, "messages");
    }

    /// <summary>The queue name.</summary>
    public string Name { get; }

    /// <summary>The queue URI.</summary>
    public Uri Uri { get; }

    private QueueMessageEncoding Encoding => _connection.Options.QueueMessageEncoding;

    /// <summary>Creates the queue if it does not exist; returns true if this call created it.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Put, Uri);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "CreateQueue", true, cancellationToken, 201, 204).ConfigureAwait(false);
        return response.Status == 201;
    }

    /// <summary>Deletes the queue and its messages; returns false if it did not exist.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Delete, Uri);
        try
        {
            await StorageHttp.SendAsync(_connection.Pipeline, message, "DeleteQueue", true, cancellationToken, 204).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends a message. <paramref name="visibilityDelay"/> hides it at first (0-7 days);
    /// <paramref name="timeToLive"/> defaults to the service's 7 days (<see cref="Timeout.InfiniteTimeSpan"/> = never expires).
    /// </summary>
    public async Task<QueueSendReceipt> SendAsync(string text, TimeSpan? visibilityDelay = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = EncodeBody(text);
        using var message = StorageHttp.CreateMessage(
            _connection.Pipeline,
            RequestMethod.Post,
            _messagesUri,
            ("visibilitytimeout", Seconds(visibilityDelay, nameof(visibilityDelay), 0, 7 * 24 * 3600)),
            ("messagettl", timeToLive == Timeout.InfiniteTimeSpan ? "-1" : Seconds(timeToLive, nameof(timeToLive), 1, int.MaxValue)));
        message.Request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
        message.Request.Content = StorageHttp.Utf8Content(body);
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "PutMessage", true, cancellationToken, 201).ConfigureAwait(false);
        var element = ReadMessages(response).FirstOrDefault() ?? throw new InvalidOperationException("Put Message returned no message.");
        return new QueueSendReceipt(Text(element, "MessageId")!, Text(element, "PopReceipt")!, Date(element, "InsertionTime"), Date(element, "ExpirationTime"), Date(element, "TimeNextVisible"));
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> (1-32) messages, hiding them for
    /// <paramref name="visibilityTimeout"/> (default 30 s, 1 s to 7 days). An empty list means none were visible.
    /// </summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        using var message = StorageHttp.CreateMessage(
            _connection.Pipeline,
            RequestMethod.Get,
            _messagesUri,
            ("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture)),
            ("visibilitytimeout", Seconds(visibilityTimeout, nameof(visibilityTimeout), 1, 7 * 24 * 3600)));
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "GetMessages", true, cancellationToken, 200).ConfigureAwait(false);
        return ReadMessages(response)
            .Select(e => new QueueMessage(
                Text(e, "MessageId")!,
                Text(e, "PopReceipt")!,
                long.Parse(Text(e, "DequeueCount") ?? "0", CultureInfo.InvariantCulture),
                Decode(Text(e, "MessageText") ?? string.Empty),
                Date(e, "InsertionTime"),
                Date(e, "ExpirationTime"),
                Date(e, "TimeNextVisible")))
            .ToList();
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> (1-32) visible messages without hiding them.</summary>
    public async Task<IReadOnlyList<PeekedQueueMessage>> PeekAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        using var message = StorageHttp.CreateMessage(
            _connection.Pipeline,
            RequestMethod.Get,
            _messagesUri,
            ("peekonly", "true"),
            ("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture)));
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "PeekMessages", true, cancellationToken, 200).ConfigureAwait(false);
        return ReadMessages(response)
            .Select(e => new PeekedQueueMessage(
                Text(e, "MessageId")!,
                long.Parse(Text(e, "DequeueCount") ?? "0", CultureInfo.InvariantCulture),
                Decode(Text(e, "MessageText") ?? string.Empty),
                Date(e, "InsertionTime"),
                Date(e, "ExpirationTime")))
            .ToList();
    }

    /// <summary>Deletes a received message; a stale pop receipt or a missing message is a 404 <see cref="StorageRequestException"/>.</summary>
    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Delete, StorageHttp.Child(_messagesUri, Uri.EscapeDataString(messageId)), ("popreceipt", popReceipt));
        await StorageHttp.SendAsync(_connection.Pipeline, message, "DeleteMessage", true, cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes when a received message becomes visible again (0 s to 7 days from now), and optionally its
    /// text. Returns the new pop receipt; the old one stops working.
    /// </summary>
    public async Task<QueueUpdateReceipt> UpdateMessageAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, string? newText = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        using var message = StorageHttp.CreateMessage(
            _connection.Pipeline,
            RequestMethod.Put,
            StorageHttp.Child(_messagesUri, Uri.EscapeDataString(messageId)),
            ("popreceipt", popReceipt),
            ("visibilitytimeout", Seconds(visibilityTimeout, nameof(visibilityTimeout), 0, 7 * 24 * 3600)));
        if (newText is not null)
        {
            message.Request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
            message.Request.Content = StorageHttp.Utf8Content(EncodeBody(newText));
        }

        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "UpdateMessage", true, cancellationToken, 204).ConfigureAwait(false);
        return new QueueUpdateReceipt(
            StorageHttp.Header(response, "x-ms-popreceipt") ?? throw new InvalidOperationException("Update Message returned no pop receipt."),
            StorageHttp.DateHeader(response, "x-ms-time-next-visible"));
    }

    /// <summary>The service's approximate number of messages (Get Queue Metadata).</summary>
    public async Task<long> GetApproximateMessageCountAsync(CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Get, Uri, ("comp", "metadata"));
        var response = await StorageHttp.SendAsync(_connection.Pipeline, message, "GetQueueMetadata", true, cancellationToken, 200).ConfigureAwait(false);
        return StorageHttp.LongHeader(response, "x-ms-approximate-messages-count") ?? 0;
    }

    /// <summary>Removes every message from the queue (Clear Messages).</summary>
    public async Task ClearMessagesAsync(CancellationToken cancellationToken = default)
    {
        using var message = StorageHttp.CreateMessage(_connection.Pipeline, RequestMethod.Delete, _messagesUri);
        await StorageHttp.SendAsync(_connection.Pipeline, message, "ClearMessages", true, cancellationToken, 204).ConfigureAwait(false);
    }

    private string EncodeBody(string text)
    {
        string wireText;
        if (Encoding == QueueMessageEncoding.Base64)
        {
            wireText = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
        }
        else
        {
            try
            {
                XmlConvert.VerifyXmlChars(text);
            }
            catch (XmlException)
            {
                throw new ArgumentException("The message text has characters XML cannot carry; use QueueMessageEncoding.Base64.", nameof(text));
            }

            wireText = text;
        }

        var body = new XElement("QueueMessage", new XElement("MessageText", wireText)).ToString(SaveOptions.DisableFormatting);
        if (System.Text.Encoding.UTF8.GetByteCount(wireText) > MaxMessageBytes)
        {
            throw new ArgumentException($"The encoded message is larger than {MaxMessageBytes} bytes; store the payload in a blob and send its name.", nameof(text));
        }

        return body;
    }

    private string Decode(string wireText)
    {
        if (Encoding == QueueMessageEncoding.Raw)
        {
            return wireText;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(wireText));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            throw new FormatException("A queue message is not base64 UTF-8 text although QueueMessageEncoding is Base64.", ex);
        }
    }

    private static IEnumerable<XElement> ReadMessages(global::Azure.Response response)
    {
        using var reader = XmlReader.Create(response.ContentStream!, ReaderSettings);
        var root = XDocument.Load(reader).Root;
        return root?.Elements("QueueMessage").ToList() ?? [];
    }

    private static string? Text(XElement element, string name) => (string?)element.Element(name);

    private static DateTimeOffset? Date(XElement element, string name) =>
        DateTimeOffset.TryParse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    private static string? Seconds(TimeSpan? value, string name, long min, long max)
    {
        if (value is not { } v)
        {
            return null;
        }

        var seconds = (long)Math.Ceiling(v.TotalSeconds);
        if (seconds < min || seconds > max)
        {
            throw new ArgumentOutOfRangeException(name, $"Must be between {min} and {max} seconds.");
        }

        return seconds.ToString(CultureInfo.InvariantCulture);
    }
}
