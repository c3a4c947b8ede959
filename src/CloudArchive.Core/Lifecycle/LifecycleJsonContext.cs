using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CloudArchive.Core.Lifecycle;

/// <summary>Source-generated JSON metadata for the lifecycle's documents (built as <see cref="JsonNode"/> trees).</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class LifecycleJsonContext : JsonSerializerContext;
