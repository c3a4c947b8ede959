using System.Text;
using CloudArchive.Core.Audit;
using Xunit;

namespace CloudArchive.Core.Tests.Audit;

/// <summary>Each kind of tampering is reported at the right blob and line.</summary>
public sealed class AuditLogVerifierTests
{
    private const string Blob = "log/2026/11/22/10/func-1.jsonl";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<InMemoryAuditLogStore> WriteAsync(int lines)
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using var writer = new AuditLogWriter(store, "func-1", clock);
        for (var i = 1; i <= lines; i++)
        {
            await writer.AppendAsync(AuditSamples.Import(i), Ct);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        return store;
    }

    private static List<string> Lines(InMemoryAuditLogStore store) => [.. Encoding.UTF8.GetString(store.Read(Blob)).Split('\n')[..^1]];

    private static void Save(InMemoryAuditLogStore store, IEnumerable<string> lines) =>
        store.Tamper(Blob, Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));

    private static Task<AuditVerificationReport> VerifyAsync(InMemoryAuditLogStore store) =>
        new AuditLogVerifier(store).VerifyAsync(null, null, Ct);

    [Fact]
    public async Task An_untouched_log_verifies()
    {
        var store = await WriteAsync(5);

        var report = await VerifyAsync(store);

        Assert.True(report.IsIntact);
        Assert.Equal(1, report.BlobsChecked);
        Assert.Equal(5, report.LinesChecked);
    }

    [Fact]
    public async Task A_modified_line_is_reported_at_the_next_line_with_both_hashes()
    {
        var store = await WriteAsync(5);
        var lines = Lines(store);
        var original = lines[2];
        lines[2] = original.Replace("\"bytes\":1003", "\"bytes\":9003", StringComparison.Ordinal);
        Save(store, lines);

        var report = await VerifyAsync(store);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(Blob, finding.BlobName);
        Assert.Equal(4, finding.LineNumber);
        Assert.Equal(AuditFindingKind.ChainBroken, finding.Kind);
        Assert.Contains("line 3 was modified", finding.Message, StringComparison.Ordinal);
        Assert.Equal(AuditChain.Hash(Encoding.UTF8.GetBytes(lines[2])), finding.Expected);
        Assert.Equal(AuditChain.Hash(Encoding.UTF8.GetBytes(original)), finding.Actual);
    }

    [Fact]
    public async Task A_deleted_line_is_reported_where_it_was()
    {
        var store = await WriteAsync(5);
        var lines = Lines(store);
        lines.RemoveAt(1);
        Save(store, lines);

        var report = await VerifyAsync(store);

        Assert.All(report.Findings, f => Assert.Equal(2, f.LineNumber));
        Assert.Contains(report.Findings, f => f.Kind == AuditFindingKind.ChainBroken && f.Message.Contains("1 line(s) missing", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Kind == AuditFindingKind.SequenceMismatch && f.Expected == "2" && f.Actual == "3");
    }

    [Fact]
    public async Task Reordered_lines_are_reported_at_both_positions()
    {
        var store = await WriteAsync(5);
        var lines = Lines(store);
        (lines[1], lines[2]) = (lines[2], lines[1]);
        Save(store, lines);

        var report = await VerifyAsync(store);

        Assert.Equal([2, 3, 4], report.Findings.Where(f => f.Kind == AuditFindingKind.ChainBroken).Select(f => f.LineNumber));
        Assert.Equal([2, 3, 4], report.Findings.Where(f => f.Kind == AuditFindingKind.SequenceMismatch).Select(f => f.LineNumber));
    }

    [Fact]
    public async Task An_inserted_line_with_a_forged_chain_is_detected_after_it()
    {
        var store = await WriteAsync(4);
        var lines = Lines(store);
        var previous = AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(lines[1]));
        var forged = previous with { Sequence = 3, PreviousHash = AuditChain.Hash(Encoding.UTF8.GetBytes(lines[1])), Event = AuditSamples.Read() };
        lines.Insert(2, Encoding.UTF8.GetString(AuditLineSerializer.Serialize(forged)));
        Save(store, lines);

        var report = await VerifyAsync(store);

        Assert.All(report.Findings, f => Assert.True(f.LineNumber >= 4));
        Assert.Contains(report.Findings, f => f.LineNumber == 4 && f.Kind == AuditFindingKind.ChainBroken && f.Message.Contains("inserted", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.LineNumber == 4 && f.Kind == AuditFindingKind.SequenceMismatch);
    }

    [Fact]
    public async Task A_line_copied_from_another_blob_does_not_verify_as_a_first_line()
    {
        var store = await WriteAsync(2);
        var lines = Lines(store);
        const string other = "log/2026/11/22/10/func-2.jsonl";
        store.Tamper(other, Encoding.UTF8.GetBytes(lines[0].Replace("\"writer\":\"func-1\"", "\"writer\":\"func-2\"", StringComparison.Ordinal) + "\n"));

        var report = await new AuditLogVerifier(store).VerifyBlobAsync(other, Ct);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(1, finding.LineNumber);
        Assert.Equal(AuditFindingKind.ChainBroken, finding.Kind);
        Assert.Equal(AuditChain.GenesisHash(other), finding.Expected);
    }

    [Fact]
    public async Task A_line_in_the_wrong_hour_is_misplaced()
    {
        var store = await WriteAsync(2);
        var lines = Lines(store);
        var record = AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(lines[1]));
        lines[1] = Encoding.UTF8.GetString(AuditLineSerializer.Serialize(record with { Time = record.Time.AddHours(-3) }));
        Save(store, lines);

        var report = await VerifyAsync(store);

        var finding = Assert.Single(report.Findings);
        Assert.Equal((2, AuditFindingKind.MisplacedLine), (finding.LineNumber, finding.Kind));
    }

    [Fact]
    public async Task Garbage_and_partial_lines_are_reported()
    {
        var store = await WriteAsync(3);
        var bytes = store.Read(Blob).ToList();
        store.Tamper(Blob, [.. bytes, .. "not json\n{\"v\":1"u8]);

        var report = await VerifyAsync(store);

        Assert.Contains(report.Findings, f => f.LineNumber == 4 && f.Kind == AuditFindingKind.Malformed);
        Assert.Contains(report.Findings, f => f.LineNumber == 5 && f.Kind == AuditFindingKind.IncompleteLastLine);
        Assert.Contains(report.Findings, f => f.LineNumber == 5 && f.Kind == AuditFindingKind.Malformed);
    }

    [Fact]
    public async Task A_reformatted_line_is_non_canonical_and_breaks_the_chain()
    {
        var store = await WriteAsync(3);
        var lines = Lines(store);
        lines[1] = lines[1].Replace(",\"seq\":", ", \"seq\":", StringComparison.Ordinal);
        Save(store, lines);

        var report = await VerifyAsync(store);

        Assert.Contains(report.Findings, f => f.LineNumber == 2 && f.Kind == AuditFindingKind.NonCanonical);
        Assert.Contains(report.Findings, f => f.LineNumber == 3 && f.Kind == AuditFindingKind.ChainBroken);
    }

    [Fact]
    public async Task Verification_can_be_limited_to_a_time_range()
    {
        var store = new InMemoryAuditLogStore();
        var clock = new ManualTimeProvider(AuditSamples.Start);
        using var writer = new AuditLogWriter(store, "func-1", clock);
        for (var hour = 0; hour < 4; hour++)
        {
            await writer.AppendAsync(AuditSamples.Import(hour), Ct);
            clock.Advance(TimeSpan.FromHours(1));
        }

        store.Tamper("log/2026/11/22/10/func-1.jsonl", "broken\n"u8.ToArray());

        var later = await new AuditLogVerifier(store).VerifyAsync(AuditSamples.Start.AddHours(1), AuditSamples.Start.AddHours(2), Ct);
        var all = await new AuditLogVerifier(store).VerifyAsync(null, null, Ct);

        Assert.True(later.IsIntact);
        Assert.Equal(2, later.BlobsChecked);
        Assert.Equal(4, all.BlobsChecked);
        Assert.False(all.IsIntact);
    }

    [Fact]
    public async Task Unexpected_blobs_under_the_log_prefix_are_reported()
    {
        var store = await WriteAsync(1);
        store.Tamper("log/2026/11/22/10/notes.txt", "x"u8.ToArray());

        var report = await VerifyAsync(store);

        Assert.Equal(AuditFindingKind.UnexpectedBlob, Assert.Single(report.Findings).Kind);
    }
}
