using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudArchive.Benchmarks.Ingest;

/// <summary>
/// A pipeline policy that counts storage requests per method and the bytes sent and received, and sums the time
/// spent inside the pipeline (for a streamed GET, only until the response headers). Used by <c>--trace</c> to show
/// where ingest time goes.
/// </summary>
internal sealed class RequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, Totals> _totals = new(StringComparer.Ordinal);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: true);

    /// <summary>Forgets everything counted so far.</summary>
    public void Reset() => _totals.Clear();

    /// <summary>One line per kind of request, e.g. <c>GET range 260 req, 2148 MB, 12.3 s</c>.</summary>
    public IEnumerable<string> Report() =>
        _totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
            $"{t.Key,-16} {t.Value.Count,6} req  sent {t.Value.Sent / 1e6,8:0.0} MB  received {t.Value.Received / 1e6,8:0.0} MB  in pipeline {t.Value.Ticks / (double)Stopwatch.Frequency,7:0.00} s");

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        var start = Stopwatch.GetTimestamp();
        if (async)
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        else
        {
            ProcessNext(message, pipeline);
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        var request = message.Request;
        var query = request.Uri.Query;
        var kind = request.Method.Method;
        if (query.Contains("comp=block&", StringComparison.Ordinal) || query.Contains("comp=block", StringComparison.Ordinal) && !query.Contains("blocklist", StringComparison.Ordinal))
        {
            kind += " block";
        }
        else if (query.Contains("comp=", StringComparison.Ordinal))
        {
            var comp = query[(query.IndexOf("comp=", StringComparison.Ordinal) + 5)..];
            kind += " " + comp.Split('&')[0];
        }
        else if (request.Headers.TryGetValue("x-ms-range", out _) || request.Headers.TryGetValue("Range", out _))
        {
            kind += " range";
        }

        long sent = request.Content is { } content && content.TryComputeLength(out var length) ? length : 0;
        // HEAD answers carry the blob's Content-Length without a body.
        long received = request.Method != RequestMethod.Head && message.HasResponse && message.Response.Headers.ContentLength is { } responseLength ? responseLength : 0;
        var totals = _totals.GetOrAdd(kind, _ => new Totals());
        Interlocked.Increment(ref totals.Count);
        Interlocked.Add(ref totals.Sent, sent);
        Interlocked.Add(ref totals.Received, received);
        Interlocked.Add(ref totals.Ticks, elapsed);
    }

    private sealed class Totals
    {
        public long Count;
        public long Sent;
        public long Received;
        public long Ticks;
    }
}
