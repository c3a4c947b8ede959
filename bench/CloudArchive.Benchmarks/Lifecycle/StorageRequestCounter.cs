using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;

namespace CloudArchive.Benchmarks.Lifecycle;

/// <summary>
/// Counts the storage requests the Azure SDK sends (its <c>Azure-Core</c> request events), by method, container and
/// operation (<c>comp</c>/<c>restype</c>), so a phase's request mix can be compared across sizes. Names of blobs are
/// reduced to their container, so nothing uploader-chosen is kept.
/// </summary>
internal sealed class StorageRequestCounter : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly AzureEventSourceListener _listener;

    public StorageRequestCounter()
    {
        _listener = new AzureEventSourceListener(OnEvent, EventLevel.Informational);
    }

    /// <summary>The total number of requests since the last <see cref="TakeAndReset"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> TakeAndReset()
    {
        var snapshot = _counts.ToArray();
        _counts.Clear();
        return [.. snapshot.OrderByDescending(p => p.Value)];
    }

    public void Dispose() => _listener.Dispose();

    private void OnEvent(EventWrittenEventArgs e, string message)
    {
        if (e.EventName != "Request" || e.PayloadNames is null)
        {
            return;
        }

        var method = Payload(e, "method");
        var uri = Payload(e, "uri");
        if (method is null || uri is null || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return;
        }

        var segments = parsed.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var container = segments.Length > 1 ? segments[1] : "(account)";
        var kind = segments.Length > 2 ? "blob" : "container";
        var query = System.Web.HttpUtility.ParseQueryString(parsed.Query);
        var op = query["comp"] ?? query["restype"] ?? string.Empty;
        _counts.AddOrUpdate($"{method} {container} {kind} {op}".TrimEnd(), 1, (_, n) => n + 1);
    }

    private static string? Payload(EventWrittenEventArgs e, string name)
    {
        var i = e.PayloadNames!.IndexOf(name);
        return i >= 0 ? e.Payload?[i]?.ToString() : null;
    }
}
