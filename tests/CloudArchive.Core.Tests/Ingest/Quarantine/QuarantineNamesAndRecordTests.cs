using System.Text;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Core.Keys;
using Xunit;

namespace CloudArchive.Core.Tests.Ingest.Quarantine;

public sealed class QuarantineNamesAndRecordTests
{
    [Fact]
    public void An_id_is_keyed_by_the_upload_version_and_reveals_nothing_of_its_name()
    {
        using var namer = new OpaqueKeyNamer(new byte[32]);
        var id = QuarantineNames.IdFor(namer, "incoming", "gw/DOE_JOHN_MRN123456.dcm", "\"0x1\"");

        Assert.True(QuarantineNames.IsValidId(id));
        Assert.Equal(id, QuarantineNames.IdFor(namer, "incoming", "gw/DOE_JOHN_MRN123456.dcm", "\"0x1\""));
        Assert.NotEqual(id, QuarantineNames.IdFor(namer, "incoming", "gw/DOE_JOHN_MRN123456.dcm", "\"0x2\""));
        Assert.NotEqual(id, namer.NameFor("gw/DOE_JOHN_MRN123456.dcm"));
        Assert.Equal("q/" + id + ".dcm.enc", QuarantineNames.Copy(id));
        Assert.Equal(id, QuarantineNames.IdOf(QuarantineNames.Reason(id)));
        Assert.Equal(id, QuarantineNames.IdOf(QuarantineNames.Copy(id)));
    }

    [Theory]
    [InlineData("gw/bad.dcm.reason.json")]
    [InlineData("q/../x.reason.json")]
    [InlineData("q/AAAAAAAAAAAAAAAAAAAAAAAAAA.dcm.enc")]
    [InlineData("q/aaaaaaaaaaaaaaaaaaaaaaaaaa.txt")]
    public void Names_that_are_not_quarantine_blobs_have_no_id(string name)
    {
        Assert.Null(QuarantineNames.IdOf(name));
        Assert.Throws<ArgumentException>(() => QuarantineNames.Copy("gw/DOE.dcm"));
    }

    [Fact]
    public void A_reason_document_round_trips_and_an_older_schema_is_refused()
    {
        var record = new QuarantineRecord
        {
            Id = "aaaaaaaaaaaaaaaaaaaaaaaaaa",
            Reason = "conflict",
            Message = "m",
            Time = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            RetainUntil = "2026-12-31",
            EncryptedUnder = QuarantineKeyKinds.Study,
            UploadLength = 42,
            StudyKey = "bbbbbbbbbbbbbbbbbbbbbbbbbb",
            RetriedAt = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero),
            RetriedAs = "retry/aaaaaaaaaaaaaaaaaaaaaaaaaa.dcm",
        };

        Assert.Equal(record, QuarantineRecord.Parse(record.ToJson()));
        Assert.Throws<FormatException>(() => QuarantineRecord.Parse(Encoding.UTF8.GetBytes("""{"schema":"cloudarchive/quarantine-reason/v1","reason":"empty"}""")));
        Assert.Throws<FormatException>(() => QuarantineRecord.Parse("not json"u8));
    }
}
