using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Lifecycle.Reconcile;

namespace CloudArchive.Azure.Lifecycle;

/// <summary>
/// <see cref="IReconcileLedger"/> over the <c>control</c> container: <c>reconcile/failures/{messageKey}.json</c> and
/// <c>reconcile/reenqueued/{uploadKey}.json</c>. Keys are hex hashes; no blob name is stored.
/// </summary>
public sealed class BlobReconcileLedger : IReconcileLedger
{
    private const string FailuresPrefix = "reconcile/failures/";
    private const string ReenqueuedPrefix = "reconcile/reenqueued/";
    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffffffZ";
    private const int MaxDocumentBytes = 64 << 10;
    private readonly BlobContainerClient _control;

    /// <summary>Creates the ledger.</summary>
    public BlobReconcileLedger(BlobContainerClient control) => _control = control ?? throw new ArgumentNullException(nameof(control));

    /// <inheritdoc />
    public Task RecordFailureAsync(string messageKey, IngestFailureNote note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        return PutAsync(FailuresPrefix + Key(messageKey) + ".json", new JsonObject
        {
            ["schema"] = "cloudarchive/ingest-failure/v1",
            ["errorCode"] = note.ErrorCode,
            ["delivery"] = note.Delivery,
            ["at"] = note.At.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IngestFailureNote?> GetFailureAsync(string messageKey, CancellationToken cancellationToken)
    {
        var node = await ReadAsync(FailuresPrefix + Key(messageKey) + ".json", cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            return null;
        }

        var code = node["errorCode"]?.GetValue<string>();
        var delivery = node["delivery"] is JsonValue d && d.TryGetValue<int>(out var n) ? n : 0;
        return string.IsNullOrEmpty(code) ? null : new IngestFailureNote(code, delivery, Time(node["at"]) ?? DateTimeOffset.MinValue);
    }

    /// <inheritdoc />
    public Task DeleteFailureAsync(string messageKey, CancellationToken cancellationToken) => DeleteAsync(FailuresPrefix + Key(messageKey) + ".json", cancellationToken);

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetReenqueuedAsync(string uploadKey, CancellationToken cancellationToken) =>
        Time((await ReadAsync(ReenqueuedPrefix + Key(uploadKey) + ".json", cancellationToken).ConfigureAwait(false))?["at"]);

    /// <inheritdoc />
    public Task MarkReenqueuedAsync(string uploadKey, DateTimeOffset at, CancellationToken cancellationToken) =>
        PutAsync(ReenqueuedPrefix + Key(uploadKey) + ".json", new JsonObject
        {
            ["schema"] = "cloudarchive/reenqueued/v1",
            ["at"] = at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
        }, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListReenqueuedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in StorageListing.ListAsync(_control, ReenqueuedPrefix, BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            if (item.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                yield return item.Name[ReenqueuedPrefix.Length..^".json".Length];
            }
        }
    }

    /// <inheritdoc />
    public Task DeleteReenqueuedAsync(string uploadKey, CancellationToken cancellationToken) => DeleteAsync(ReenqueuedPrefix + Key(uploadKey) + ".json", cancellationToken);

    /// <summary>Keys are lowercase hex; anything else would let a caller write outside the prefix.</summary>
    private static string Key(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return key.Length <= 128 && key.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'))
            ? key
            : throw new ArgumentException("A ledger key must be lowercase hex.", nameof(key));
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private async Task<JsonObject?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var document = await SmallBlobDocument.ReadAsync(_control.GetBlobClient(name), MaxDocumentBytes, () => new InvalidDataException($"Reconcile document {name} is too large."), cancellationToken).ConfigureAwait(false);
        if (document is not { } d)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(d.Content) as JsonObject;
        }
        catch (JsonException)
        {
            // A damaged note only costs its error code (reported as unknown) or one more re-enqueue; it must not stop reconciliation.
            return null;
        }
    }

    private async Task PutAsync(string name, JsonObject node, CancellationToken cancellationToken) =>
        await StorageCall.RunAsync("PutBlob", () => _control.GetBlobClient(name).UploadAsync(
            BinaryData.FromString(node.ToJsonString()),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken)).ConfigureAwait(false);

    private async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await StorageCall.RunAsync("DeleteBlob", () => _control.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
}
