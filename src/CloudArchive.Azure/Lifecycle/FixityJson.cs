using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudArchive.Core.Lifecycle.Fixity;

namespace CloudArchive.Azure.Lifecycle;

/// <summary>The JSON of the fixity documents in <c>control</c> (node trees: no reflection, AOT-safe).</summary>
internal static class FixityJson
{
    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffffffZ";

    public static byte[] State(FixityState state) => Bytes(new JsonObject
    {
        ["schema"] = "cloudarchive/fixity-state/v1",
        ["cycle"] = state.Cycle,
        ["cycleStarted"] = Time(state.CycleStarted),
        ["nextBucket"] = state.NextBucket,
        ["buckets"] = FixityKeySpace.BucketCount,
        ["verified"] = state.Verified,
        ["failed"] = state.Failed,
        ["lastRun"] = state.LastRun is { } last ? Time(last) : null,
    });

    public static FixityState ParseState(byte[] content, string name)
    {
        var node = Parse(content, name);
        return new FixityState(
            Int(node, "cycle", name),
            ParseTime(node, "cycleStarted", name) ?? throw Bad(name, "cycleStarted"),
            Int(node, "nextBucket", name),
            Long(node, "verified", name),
            Long(node, "failed", name),
            ParseTime(node, "lastRun", name));
    }

    public static byte[] Bucket(FixityBucketRecord record)
    {
        var results = new JsonArray();
        foreach (var result in record.Results)
        {
            results.Add((JsonNode)new JsonObject
            {
                ["blob"] = result.BlobName,
                ["outcome"] = result.Outcome.ToString().ToLowerInvariant(),
                ["problem"] = result.Problem,
            });
        }

        return Bytes(new JsonObject
        {
            ["schema"] = "cloudarchive/fixity-bucket/v1",
            ["cycle"] = record.Cycle,
            ["bucket"] = record.Bucket,
            ["prefix"] = record.Prefix,
            ["completedAt"] = Time(record.CompletedAt),
            ["results"] = results,
        });
    }

    public static FixityBucketRecord ParseBucket(byte[] content, string name)
    {
        var node = Parse(content, name);
        var results = new List<FixityResult>();
        foreach (var item in node["results"] as JsonArray ?? throw Bad(name, "results"))
        {
            var blob = item?["blob"]?.GetValue<string>() ?? throw Bad(name, "results[].blob");
            var outcome = Enum.TryParse<FixityOutcome>(item["outcome"]?.GetValue<string>(), ignoreCase: true, out var o) ? o : throw Bad(name, "results[].outcome");
            results.Add(new FixityResult(blob, outcome, item["problem"]?.GetValue<string>()));
        }

        return new FixityBucketRecord(Int(node, "cycle", name), Int(node, "bucket", name), node["prefix"]?.GetValue<string>() ?? throw Bad(name, "prefix"), ParseTime(node, "completedAt", name) ?? throw Bad(name, "completedAt"), results);
    }

    public static byte[] Finding(FixityFinding finding) => Bytes(new JsonObject
    {
        ["schema"] = "cloudarchive/fixity-finding/v1",
        ["finding"] = "fixity-failed",
        ["blob"] = finding.BlobName,
        ["problem"] = finding.Problem,
        ["detectedAt"] = Time(finding.DetectedAt),
        ["cycle"] = finding.Cycle,
    });

    public static FixityFinding ParseFinding(byte[] content, string name)
    {
        var node = Parse(content, name);
        return new FixityFinding(
            node["blob"]?.GetValue<string>() ?? throw Bad(name, "blob"),
            node["problem"]?.GetValue<string>() ?? throw Bad(name, "problem"),
            ParseTime(node, "detectedAt", name) ?? throw Bad(name, "detectedAt"),
            Int(node, "cycle", name));
    }

    private static byte[] Bytes(JsonObject node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static JsonObject Parse(byte[] content, string name)
    {
        try
        {
            return JsonNode.Parse(content) as JsonObject ?? throw Bad(name, "(root)");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Fixity document {name} is not valid JSON.", ex);
        }
    }

    private static int Int(JsonObject node, string property, string name) =>
        node[property] is JsonValue value && value.TryGetValue<int>(out var n) ? n : throw Bad(name, property);

    private static long Long(JsonObject node, string property, string name) =>
        node[property] is JsonValue value && value.TryGetValue<long>(out var n) ? n : throw Bad(name, property);

    private static DateTimeOffset? ParseTime(JsonObject node, string property, string name) =>
        node[property] is null ? null
        : DateTimeOffset.TryParse(node[property]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : throw Bad(name, property);

    private static InvalidDataException Bad(string name, string property) => new($"Fixity document {name}: '{property}' is missing or malformed.");
}
