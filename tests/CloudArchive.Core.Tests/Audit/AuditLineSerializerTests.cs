using System.Net;
using System.Text;
using CloudArchive.Core.Audit;
using Xunit;

namespace CloudArchive.Core.Tests.Audit;

public sealed class AuditLineSerializerTests
{
    private static readonly AuditRecord Full = new(
        7,
        new string('a', 64),
        new DateTimeOffset(2026, 11, 22, 10, 15, 30, 123, TimeSpan.Zero).AddTicks(4567),
        "func-1",
        new AuditEvent
        {
            EventType = AuditEventType.Export,
            Action = AuditAction.Read,
            Outcome = AuditOutcome.MinorFailure,
            Actor = new AuditActor("3f2b8c1e-0d4a-4e4b-9a51-0a1b2c3d4e5f", "res.one@uni.example", "cloudarchive-functions", "researcher", true, IPAddress.Parse("2001:db8::1")),
            PurposeOfUse = "HRESCH",
            Study = new OpaqueKey(AuditSamples.StudyKey),
            Instance = new OpaqueKey(AuditSamples.InstanceKey),
            Patient = new OpaqueKey(AuditSamples.PatientKey),
            AgreementId = "dua-2026-004",
            Bytes = 524288,
            CorrelationId = "0f8fad5b-d9cb-469f-a165-70867728950e",
            Details = ["consent.missing", "deid-profile=basic"],
        });

    [Fact]
    public void Lines_have_the_canonical_field_order()
    {
        var line = Encoding.UTF8.GetString(AuditLineSerializer.Serialize(Full));

        Assert.Equal(
            "{\"v\":1,\"seq\":7,\"prevHash\":\"" + new string('a', 64) + "\",\"time\":\"2026-11-22T10:15:30.1234567Z\",\"writer\":\"func-1\","
            + "\"eventId\":110106,\"action\":\"R\",\"outcome\":4,"
            + "\"actor\":{\"id\":\"3f2b8c1e-0d4a-4e4b-9a51-0a1b2c3d4e5f\",\"upn\":\"res.one@uni.example\",\"app\":\"cloudarchive-functions\",\"role\":\"researcher\",\"requestor\":true,\"ip\":\"2001:db8::1\"},"
            + "\"purposeOfUse\":\"HRESCH\",\"study\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ\",\"instance\":\"abcdefghijklmnopqrstuvwx23\",\"patient\":\"QRSTUVWXYZ234567ABCDEFGHIJ\","
            + "\"agreementId\":\"dua-2026-004\",\"bytes\":524288,\"correlationId\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"details\":[\"consent.missing\",\"deid-profile=basic\"]}",
            line);
    }

    [Fact]
    public void A_record_round_trips_through_its_line()
    {
        var parsed = AuditLineSerializer.Parse(AuditLineSerializer.Serialize(Full));

        Assert.Equal(Full, parsed);
    }

    [Fact]
    public void Absent_optional_fields_are_omitted()
    {
        var record = Full with { Event = new AuditEvent { EventType = AuditEventType.SecurityAlert, Action = AuditAction.Execute, Outcome = AuditOutcome.MajorFailure, Actor = new AuditActor("system:audit-verify", isRequestor: false) } };

        var line = Encoding.UTF8.GetString(AuditLineSerializer.Serialize(record));

        Assert.EndsWith("\"eventId\":110113,\"action\":\"E\",\"outcome\":12,\"actor\":{\"id\":\"system:audit-verify\",\"requestor\":false}}", line, StringComparison.Ordinal);
        Assert.Equal(record, AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(line)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"v\":2}")]
    [InlineData("[]")]
    public void Invalid_lines_are_rejected(string line)
    {
        Assert.Throws<AuditFormatException>(() => AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(line)));
    }

    [Theory]
    [InlineData("\"outcome\":4", "\"outcome\":5")]
    [InlineData("\"action\":\"R\"", "\"action\":\"X\"")]
    [InlineData("\"eventId\":110106", "\"eventId\":123")]
    [InlineData("30.1234567Z", "30.1234567+01:00")]
    [InlineData("\"seq\":7", "\"seq\":0")]
    [InlineData("\"bytes\":524288", "\"bytes\":524288,\"note\":\"x\"")]
    [InlineData("\"bytes\":524288", "\"bytes\":524288,\"bytes\":1")]
    [InlineData("\"study\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ\"", "\"study\":\"1.2.840.113619.2.55.3.604688\"")]
    [InlineData("\"prevHash\":\"aaaa", "\"prevHash\":\"AAAA")]
    [InlineData("\"ip\":\"2001:db8::1\"", "\"ip\":\"Main Street 1\"")]
    [InlineData("\"details\":[\"consent.missing\",", "\"details\":[\"John Smith\",")]
    public void Tampered_fields_are_rejected(string original, string replacement)
    {
        var line = Encoding.UTF8.GetString(AuditLineSerializer.Serialize(Full));
        Assert.Contains(original, line, StringComparison.Ordinal);

        Assert.Throws<AuditFormatException>(() => AuditLineSerializer.Parse(Encoding.UTF8.GetBytes(line.Replace(original, replacement, StringComparison.Ordinal))));
    }

    [Fact]
    public void Over_long_lines_are_rejected()
    {
        Assert.Throws<AuditFormatException>(() => AuditLineSerializer.Parse(new byte[AuditLineSerializer.MaxLineBytes + 1]));
    }
}
