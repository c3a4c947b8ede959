using System.Text.Json.Serialization;
using CloudArchive.Research.Export;

namespace CloudArchive.Research.Serialization;

/// <summary>
/// Compile-time JSON metadata for the documents research reads and writes with <c>JsonSerializer</c>, so they work
/// without reflection (the CLI is published with NativeAOT). Each document keeps its own options; this only supplies
/// the type metadata.
/// </summary>
[JsonSerializable(typeof(ExportLedgerEntry))]
[JsonSerializable(typeof(ExportManifest))]
internal sealed partial class ResearchJsonContext : JsonSerializerContext;
