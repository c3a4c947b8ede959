using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CloudArchive.Deidentification;

/// <summary>
/// The per-instance de-identification report: the profile, options and table editions used, the pixel decision, and
/// one <see cref="AttributeRecord"/> per attribute touched or examined, by tag path. It never holds a value, an
/// original UID or a file name from the input.
/// </summary>
public sealed class InstanceReport
{
    private static JsonTypeInfo<InstanceReport> Json => ReportJsonContext.Default.InstanceReport;

    /// <summary>The result.</summary>
    public InstanceOutcome Outcome { get; set; }

    /// <summary>Why no output was produced (for refused and failed instances).</summary>
    public DeidFailure? Failure { get; set; }

    /// <summary>A reason without patient data.</summary>
    public string? Reason { get; set; }

    /// <summary>The profile name.</summary>
    public string Profile { get; set; } = string.Empty;

    /// <summary>Edition of Table E.1-1 applied.</summary>
    public string TableEdition { get; set; } = string.Empty;

    /// <summary>Edition/provenance of the safe private list (when Retain Safe Private is on).</summary>
    public string? SafePrivateEdition { get; set; }

    /// <summary>The enabled options (Table E.1-1 column keys).</summary>
    public List<string> Options { get; } = [];

    /// <summary>The output SOP Instance UID (already de-identified), when produced.</summary>
    public string? OutputSopInstanceUid { get; set; }

    /// <summary>What happened to Pixel Data: <c>none</c>, <c>unchanged</c>, <c>blanked</c> (with the rule) or <c>refused</c>.</summary>
    public string Pixel { get; set; } = "none";

    /// <summary>The pixel rule applied, if any.</summary>
    public string? PixelRule { get; set; }

    /// <summary>Per-attribute records.</summary>
    public List<AttributeRecord> Attributes { get; } = [];

    /// <summary>Number of records per outcome.</summary>
    public Dictionary<string, int> Counts =>
        Attributes.GroupBy(a => JsonNamingPolicy.CamelCase.ConvertName(a.Outcome.ToString())).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Serializes the report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes the report as JSON to a stream.</summary>
    public Task WriteAsync(Stream stream, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, this, Json, cancellationToken);
}
