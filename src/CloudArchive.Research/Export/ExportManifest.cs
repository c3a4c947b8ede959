using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudArchive.Research.Export;

/// <summary>
/// The manifest of an agreement's latest export. The researchers' copy (<see cref="ResearchSchemaId"/>, in the
/// <c>research</c> container) has counts only; the administrators' copy (<see cref="AdminSchemaId"/>, in <c>control</c>)
/// also lists each excluded study's opaque key and reason. Every archive study is accounted for:
/// <see cref="ExportTotals.Studies"/> + the sum of <see cref="ExcludedByReason"/> = <see cref="ArchiveStudies"/>.
/// </summary>
public sealed record ExportManifest
{
    /// <summary>Schema of the researchers' manifest.</summary>
    public const string ResearchSchemaId = "cloudarchive/research-manifest/v1";

    /// <summary>Schema of the administrators' manifest.</summary>
    public const string AdminSchemaId = "cloudarchive/export-manifest/v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = Serialization.ResearchJsonContext.Default,
    };

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<ExportManifest> ManifestInfo =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ExportManifest>)Json.GetTypeInfo(typeof(ExportManifest));

    /// <summary>Format id.</summary>
    public required string Schema { get; init; }

    /// <summary>The agreement.</summary>
    public required string AgreementId { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset ExportedAt { get; init; }

    /// <summary>The exporting software's version (assembly informational version).</summary>
    public required string SoftwareVersion { get; init; }

    /// <summary>The de-identification profile name.</summary>
    public required string Profile { get; init; }

    /// <summary>The de-identification options in effect (Table E.1-1 column keys).</summary>
    public required IReadOnlyList<string> Options { get; init; }

    /// <summary>Until when the copies are kept (<c>yyyy-MM-dd</c>, the <c>ca_retain_until</c> tag of copies written in this run).</summary>
    public required string RetainUntil { get; init; }

    /// <summary>Studies in the archive index (exported + excluded).</summary>
    public required int ArchiveStudies { get; init; }

    /// <summary>What the output holds after the run.</summary>
    public required ExportTotals Exported { get; init; }

    /// <summary>What this run changed.</summary>
    public required ExportRunCounts Run { get; init; }

    /// <summary>Excluded studies per reason code (kebab-case), counts only.</summary>
    public required IReadOnlyDictionary<string, int> ExcludedByReason { get; init; }

    /// <summary>Each excluded study's opaque key and reason: administrators' manifest only (null in the researchers' copy).</summary>
    public IReadOnlyList<ExcludedStudy>? ExcludedStudies { get; init; }

    /// <summary>Serializes the manifest (UTF-8 JSON).</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ManifestInfo);

    /// <summary>Parses a manifest.</summary>
    /// <exception cref="JsonException">Not a manifest.</exception>
    public static ExportManifest Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, ManifestInfo) ?? throw new JsonException("The manifest is JSON null.");
}
