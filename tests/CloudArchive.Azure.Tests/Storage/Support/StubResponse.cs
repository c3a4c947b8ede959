using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace CloudArchive.Azure.Tests.Storage.Support;

/// <summary>A canned response for <see cref="RecordingTransport"/>.</summary>
internal sealed class StubResponse : Response
{
    private readonly Dictionary<string, List<string>> _headers = new(StringComparer.OrdinalIgnoreCase);

    public StubResponse(int status, byte[]? body = null, params (string Name, string Value)[] headers)
    {
        Status = status;
        ContentStream = new MemoryStream(body ?? []);
        foreach (var (name, value) in headers)
        {
            if (!_headers.TryGetValue(name, out var list))
            {
                _headers[name] = list = [];
            }

            list.Add(value);
        }
    }

    public override int Status { get; }

    public override string ReasonPhrase => "Stub";

    public override Stream? ContentStream { get; set; }

    public override string ClientRequestId { get; set; } = string.Empty;

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, string.Join(",", h.Value)));

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = _headers.TryGetValue(name, out var list) ? string.Join(",", list) : null;
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = _headers.TryGetValue(name, out var list) ? list : null;
        return values is not null;
    }
}
