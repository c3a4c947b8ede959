using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudArchive.Deidentification;

/// <summary>An enum written as its camelCase name (<c>deidentified</c>, <c>mediaDirectoryRefused</c>).</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;
