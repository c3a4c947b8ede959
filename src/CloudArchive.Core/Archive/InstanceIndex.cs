using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CloudArchive.Core.Archive;

/// <summary>
/// The encrypted per-instance index records: JSON in the same envelope format as the instances, under the study key.
/// A record travels sealed in the instance blob's own metadata, so it is committed atomically with the instance by the
/// same request; one too large for metadata is written as <see cref="ArchiveNames.IndexRecord"/> beside it instead.
/// <see cref="InstanceIndexWriter"/> seals, writes and withdraws records; <see cref="InstanceIndexReader"/> reads them.
/// </summary>
public static class InstanceIndex
{
    /// <summary>Metadata entry: base64 of the sealed record's ciphertext (one envelope region).</summary>
    public const string SealedMetadataName = "ca_index";

    /// <summary>Metadata entry: the sealed record's <c>encryptiondata</c> (its own content key, wrapped by the study key).</summary>
    public const string SealedEncryptionMetadataName = "ca_indexdata";

    /// <summary>Metadata entry: the sealed record's plaintext length.</summary>
    public const string SealedLengthMetadataName = "ca_indexlength";

    /// <summary>
    /// Metadata entry: the sealed record's <c>ca_envelopemac</c>, binding its length and encryption data to
    /// <see cref="SealedBindingName"/> of the instance blob that carries it.
    /// </summary>
    public const string SealedMacMetadataName = "ca_indexmac";

    /// <summary>
    /// The largest sealed record (base64 characters) carried as metadata: with the instance's own entries (about 1 KiB)
    /// this stays well inside the service's 8 KiB limit for all metadata of a blob.
    /// </summary>
    public const int MaxSealedChars = 4096;

    /// <summary>The record's JSON contract (source-generated).</summary>
    internal static readonly JsonTypeInfo<InstanceIndexRecord> RecordInfo =
        (JsonTypeInfo<InstanceIndexRecord>)new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = false, TypeInfoResolver = Serialization.CoreJsonContext.Default }.GetTypeInfo(typeof(InstanceIndexRecord));

    /// <summary>
    /// The name a sealed record's envelope is bound to: the instance blob's name with <c>#ca_index</c> appended, so the
    /// record cannot be moved to another instance's metadata, nor pass for the instance's own envelope.
    /// </summary>
    /// <param name="instanceBlobName">The name of the instance blob that carries the record (<see cref="ArchiveNames.Instance"/>).</param>
    public static string SealedBindingName(string instanceBlobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceBlobName);
        return instanceBlobName + "#" + SealedMetadataName;
    }
}
