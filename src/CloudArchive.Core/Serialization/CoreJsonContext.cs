using System.Text.Json.Serialization;
using CloudArchive.Core.Archive;

namespace CloudArchive.Core.Serialization;

/// <summary>
/// Compile-time JSON metadata for the documents Core reads and writes with <c>JsonSerializer</c>, so they work without
/// reflection (the CLI is published with NativeAOT). Each document keeps its own options (naming, indentation,
/// unknown-member handling); this only supplies the type metadata.
/// </summary>
[JsonSerializable(typeof(InstanceIndexRecord))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
