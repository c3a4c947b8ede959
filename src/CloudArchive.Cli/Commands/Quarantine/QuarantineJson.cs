using System.Globalization;
using System.Text.Json.Nodes;
using CloudArchive.Core.Ingest.Quarantine;

namespace CloudArchive.Cli.Commands.Quarantine;

/// <summary>The <c>--json</c> documents of the quarantine commands (node trees: no reflection under NativeAOT).</summary>
internal static class QuarantineJson
{
    public static JsonObject Entry(QuarantineEntry entry)
    {
        var r = entry.Record;
        return new JsonObject
        {
            ["id"] = entry.Id,
            ["reason"] = r?.Reason,
            ["message"] = r?.Message ?? entry.Problem,
            ["time"] = r?.Time,
            ["ageHours"] = entry.Age is { } age ? (long)Math.Max(0, age.TotalHours) : null,
            ["retainUntil"] = r?.RetainUntil,
            ["encryptedUnder"] = r?.EncryptedUnder,
            ["studyKey"] = r?.StudyKey,
            ["instanceKey"] = r?.InstanceKey,
            ["uploadLength"] = r?.UploadLength,
            ["correlationId"] = r?.CorrelationId,
            ["retried"] = r?.RetriedAt is { } retried ? new JsonObject { ["time"] = retried, ["incoming"] = r.RetriedAs } : null,
        };
    }

    public static JsonObject Facts(QuarantineHeaderFacts facts) => new()
    {
        ["length"] = facts.Length,
        ["part10"] = facts.Part10,
        ["readProblem"] = facts.ReadProblem,
        ["transferSyntaxUid"] = facts.TransferSyntaxUid,
        ["sopClassUid"] = facts.SopClassUid,
        ["mediaStorageSopClassUid"] = facts.MediaStorageSopClassUid,
        ["metaInstanceMatches"] = facts.MetaInstanceMatches,
        ["modality"] = facts.Modality,
        ["studyKey"] = facts.StudyKey,
        ["instanceKey"] = facts.InstanceKey,
    };

    public static string Age(TimeSpan? age) => age is { } a
        ? (a.TotalHours >= 24 ? string.Create(CultureInfo.InvariantCulture, $"{(int)a.TotalDays}d {a.Hours}h") : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)a.TotalHours)}h"))
        : "-";
}
