using System.Text.Json;

namespace CloudArchive.Functions.Invocation;

/// <summary>
/// The body the Functions host POSTs to <c>/{FunctionName}</c>: <c>{"Data": {...}, "Metadata": {...}}</c>.
/// <c>Data</c> holds the trigger and input bindings by binding name; <c>Metadata</c> the trigger's binding
/// data (for queues: DequeueCount, Id, InsertionTime, ...; plus <c>sys</c>). Values that are not JSON
/// objects arrive JSON-encoded a second time (see <see cref="InvocationValues"/>).
/// </summary>
public sealed class InvocationRequest
{
    /// <summary>Trigger and input binding values by binding name.</summary>
    public Dictionary<string, JsonElement> Data { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Trigger metadata by name.</summary>
    public Dictionary<string, JsonElement> Metadata { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>Reads and parses a request body.</summary>
    /// <exception cref="InvalidInvocationException">The body is not a JSON object of this shape.</exception>
    public static async Task<InvocationRequest> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        InvocationRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<InvocationRequest>(body, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidInvocationException($"The invocation body is not valid JSON ({ex.LineNumber + 1}:{ex.BytePositionInLine + 1}).", ex);
        }

        if (request is null)
        {
            throw new InvalidInvocationException("The invocation body is JSON null; expected {\"Data\": {...}, \"Metadata\": {...}}.");
        }

        // Re-key case-insensitively: binding names are case-insensitive in function.json.
        return new InvocationRequest
        {
            Data = new Dictionary<string, JsonElement>(request.Data ?? [], StringComparer.OrdinalIgnoreCase),
            Metadata = new Dictionary<string, JsonElement>(request.Metadata ?? [], StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary>The value of a Data binding.</summary>
    /// <exception cref="InvalidInvocationException">The binding is missing.</exception>
    public JsonElement RequireData(string bindingName) =>
        Data.TryGetValue(bindingName, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value
            : throw new InvalidInvocationException($"The invocation has no Data['{bindingName}'] (check the binding name in function.json).");

    /// <summary>An integer metadata value (number or double-encoded string), or null.</summary>
    public int? MetadataInt(string name) =>
        Metadata.TryGetValue(name, out var value) ? InvocationValues.TryGetInt(value) : null;

    /// <summary>A string metadata value (decoded once if double-encoded), or null.</summary>
    public string? MetadataString(string name) =>
        Metadata.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? InvocationValues.DecodeString(value)
            : null;
}
