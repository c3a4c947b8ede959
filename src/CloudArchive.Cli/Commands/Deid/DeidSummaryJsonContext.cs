using System.Text.Json.Serialization;
using CloudArchive.Deidentification;

namespace CloudArchive.Cli.Commands.Deid;

/// <summary>Compile-time JSON metadata for <c>summary.json</c> (no reflection under NativeAOT).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(CamelCaseEnumConverter<InstanceOutcome>), typeof(CamelCaseEnumConverter<DeidFailure>)])]
[JsonSerializable(typeof(DeidRunSummary))]
internal sealed partial class DeidSummaryJsonContext : JsonSerializerContext;
