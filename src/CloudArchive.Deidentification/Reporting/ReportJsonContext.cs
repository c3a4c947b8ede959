using System.Text.Json.Serialization;

namespace CloudArchive.Deidentification;

/// <summary>
/// Compile-time JSON metadata for the reports, so they serialize without reflection (the CLI is published with
/// NativeAOT, where reflection-based serialization is switched off).
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(CamelCaseEnumConverter<InstanceOutcome>), typeof(CamelCaseEnumConverter<AttributeOutcome>), typeof(CamelCaseEnumConverter<DeidFailure>)])]
[JsonSerializable(typeof(InstanceReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
