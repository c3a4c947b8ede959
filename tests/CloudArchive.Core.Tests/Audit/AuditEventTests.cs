using CloudArchive.Core.Audit;
using Xunit;

namespace CloudArchive.Core.Tests.Audit;

/// <summary>The audit types cannot carry patient data: free text is refused field by field.</summary>
public sealed class AuditEventTests
{
    [Theory]
    [InlineData("1.2.840.113619.2.55.3.604688119")] // a UID
    [InlineData("SMITH^JOHN")]
    [InlineData("MRN12345")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXY1")] // 26 chars but '1' is not base32
    [InlineData("ABCDEFGHIJKLMnopqrstuvwxyz")] // mixed case
    [InlineData("")]
    public void Opaque_keys_accept_only_26_base32_characters(string text)
    {
        Assert.False(OpaqueKey.IsValid(text));
        var ex = Assert.Throws<ArgumentException>(() => new OpaqueKey(text));
        Assert.DoesNotContain(text.Length > 0 ? text : "\u0000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opaque_keys_accept_upper_or_lower_case_base32()
    {
        Assert.True(OpaqueKey.IsValid(AuditSamples.StudyKey));
        Assert.True(OpaqueKey.IsValid(AuditSamples.InstanceKey));
    }

    [Theory]
    [InlineData("John Smith")]
    [InlineData("ingest")] // component ids need a prefix
    [InlineData("user:someone")]
    public void Actor_ids_are_guids_or_prefixed_component_names(string id)
    {
        Assert.Throws<ArgumentException>(() => new AuditActor(id));
    }

    [Fact]
    public void Free_text_is_refused_in_codes()
    {
        var actor = new AuditActor("svc:ingest");

        Assert.Throws<ArgumentException>(() => new AuditEvent { EventType = AuditEventType.Import, Action = AuditAction.Create, Outcome = AuditOutcome.Success, Actor = actor, Details = ["patient John Smith"] });
        Assert.Throws<ArgumentException>(() => new AuditEvent { EventType = AuditEventType.Import, Action = AuditAction.Create, Outcome = AuditOutcome.Success, Actor = actor, CorrelationId = "Smith, John" });
        Assert.Throws<ArgumentException>(() => new AuditEvent { EventType = AuditEventType.Import, Action = AuditAction.Create, Outcome = AuditOutcome.Success, Actor = actor, PurposeOfUse = "treatment of J. Smith" });
        Assert.Throws<ArgumentException>(() => new AuditEvent { EventType = AuditEventType.Import, Action = AuditAction.Create, Outcome = AuditOutcome.Success, Actor = actor, AgreementId = "DUA for Smith" });
        Assert.Throws<ArgumentException>(() => new AuditActor("svc:ingest", role: "Dr. Smith"));
        Assert.Throws<ArgumentException>(() => new AuditActor("svc:ingest", upn: "not an upn"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AuditEvent { EventType = AuditEventType.Import, Action = AuditAction.Create, Outcome = AuditOutcome.Success, Actor = actor, Bytes = -1 });
    }

    [Fact]
    public void Too_many_details_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new AuditEvent
        {
            EventType = AuditEventType.Import,
            Action = AuditAction.Create,
            Outcome = AuditOutcome.Success,
            Actor = new AuditActor("svc:ingest"),
            Details = Enumerable.Range(0, AuditEvent.MaxDetails + 1).Select(i => $"d{i}").ToArray(),
        });
    }

    [Fact]
    public void Blob_names_follow_the_hourly_layout()
    {
        var name = AuditBlobName.For(new DateTimeOffset(2026, 1, 2, 3, 59, 59, TimeSpan.FromHours(2)), "func-1");

        Assert.Equal("log/2026/01/02/01/func-1.jsonl", name);
        Assert.True(AuditBlobName.TryParse(name, out var hour, out var writer));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 1, 0, 0, TimeSpan.Zero), hour);
        Assert.Equal("func-1", writer);
        Assert.False(AuditBlobName.TryParse("log/2026/01/02/func-1.jsonl", out _, out _));
        Assert.False(AuditBlobName.TryParse("seals/2026/01/02/01/func-1.json", out _, out _));
        Assert.Throws<ArgumentException>(() => AuditBlobName.For(DateTimeOffset.UtcNow, "Func_1"));
    }

    [Theory]
    [InlineData("func-1", "func-1")]
    [InlineData("Host_1:4711", "host-1-4711-")]
    [InlineData("___", "")]
    public void Host_identifiers_become_valid_distinct_writer_ids(string identifier, string expectedStart)
    {
        var id = AuditBlobName.WriterIdFrom(identifier);

        Assert.True(AuditBlobName.IsValidWriterId(id));
        Assert.StartsWith(expectedStart, id, StringComparison.Ordinal);
        Assert.NotEqual(AuditBlobName.WriterIdFrom("host-1-4711"), AuditBlobName.WriterIdFrom("Host_1:4711"));
    }

    [Fact]
    public void A_64_hex_instance_id_is_a_valid_writer_id_and_long_ids_are_shortened()
    {
        var instanceId = new string('a', 64);

        Assert.Equal(instanceId, AuditBlobName.WriterIdFrom(instanceId));
        var longId = AuditBlobName.WriterIdFrom(new string('X', 300));
        Assert.True(AuditBlobName.IsValidWriterId(longId));
        Assert.Equal(AuditBlobName.MaxWriterIdLength, longId.Length);
    }

    [Fact]
    public void Genesis_hash_is_bound_to_the_blob_name()
    {
        Assert.NotEqual(AuditChain.GenesisHash("log/2026/01/02/01/a.jsonl"), AuditChain.GenesisHash("log/2026/01/02/01/b.jsonl"));
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("cloudarchive-audit/v1 genesis log/x"u8)),
            AuditChain.GenesisHash("log/x"));
    }
}
