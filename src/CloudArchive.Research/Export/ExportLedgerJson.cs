using System.Text.Json;
using CloudArchive.Dicom;
using CloudArchive.Research.Publication;

namespace CloudArchive.Research.Export;

/// <summary>
/// The JSON form of <see cref="ExportLedgerEntry"/>. Reading validates that the entry is of the expected agreement and
/// study and that every blob name it lists is an instance blob of that agreement, so a damaged or hand-edited entry can
/// never make an export delete or claim another agreement's copies.
/// </summary>
public static class ExportLedgerJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = Serialization.ResearchJsonContext.Default,
    };

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<ExportLedgerEntry> EntryInfo =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ExportLedgerEntry>)Options.GetTypeInfo(typeof(ExportLedgerEntry));

    /// <summary>Serializes an entry (UTF-8 JSON).</summary>
    public static byte[] Serialize(ExportLedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return JsonSerializer.SerializeToUtf8Bytes(entry, EntryInfo);
    }

    /// <summary>Parses and validates an entry read from <paramref name="blobName"/>.</summary>
    /// <exception cref="ExportLedgerFormatException">The entry is malformed or does not belong to the agreement and study.</exception>
    public static ExportLedgerEntry Deserialize(ReadOnlySpan<byte> json, string agreementId, string studyKey, string blobName)
    {
        ExportLedgerEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize(json, EntryInfo);
        }
        catch (JsonException ex)
        {
            throw new ExportLedgerFormatException(blobName, $"not a valid ledger entry (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})");
        }

        if (entry is null)
        {
            throw new ExportLedgerFormatException(blobName, "is JSON null");
        }

        Require(entry.Schema == ExportLedgerEntry.SchemaId, blobName, $"schema must be {ExportLedgerEntry.SchemaId}");
        Require(entry.AgreementId == agreementId, blobName, "belongs to another agreement");
        Require(entry.StudyKey == studyKey, blobName, "belongs to another study");
        Require(entry.PatientPseudonym is null || ExportNames.IsOpaqueKey(entry.PatientPseudonym), blobName, "patientPseudonym is not an opaque key");
        Require(DicomUid.IsValid(entry.ResearchStudyUid), blobName, "researchStudyUid is not a UID");
        Require(entry.Instances is not null, blobName, "instances is missing");
        foreach (var instance in entry.Instances!)
        {
            Require(instance is not null && ExportNames.IsOpaqueKey(instance.InstanceKey), blobName, "an instance key is not an opaque key");
            var name = ResearchNames.ParseInstance(instance!.BlobName);
            Require(name is not null && name.AgreementId == agreementId && name.StudyUid == entry.ResearchStudyUid
                && name.SeriesUid == instance.SeriesUid && name.InstanceUid == instance.InstanceUid, blobName, "an instance blob name is not one of this agreement and study");
            Require(instance.Bytes >= 0, blobName, "an instance size is negative");
        }

        return entry;
    }

    private static void Require(bool condition, string blobName, string reason)
    {
        if (!condition)
        {
            throw new ExportLedgerFormatException(blobName, reason);
        }
    }
}
