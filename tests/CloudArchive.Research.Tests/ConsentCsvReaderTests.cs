using CloudArchive.Research.Consent;
using Xunit;

namespace CloudArchive.Research.Tests;

public sealed class ConsentCsvReaderTests
{
    private const string Header = "patient_id,issuer,status,period_start,period_end,data_from,data_to,purposes,actors,deny_modalities,deny_body_parts,consent_id";

    [Fact]
    public void Full_row_maps_every_column()
    {
        var result = ConsentCsvReader.Read(Header + "\r\nPAT-001,HOSP_A,active,2025-01-01,2026-12-31,2010-01-01,2025-12-31,hresch;TREAT,3F2504E0-4F89-41D3-9A0C-0305E82C3301;lung-2026,MR;us,head,c-17\r\n");
        Assert.Empty(result.Errors);
        var row = Assert.Single(result.Rows);
        Assert.Equal("line 2", row.Location);
        Assert.Equal("PAT-001", row.PatientId);
        Assert.Equal("HOSP_A", row.Issuer);
        Assert.Equal(ConsentStatus.Active, row.Status);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), row.PeriodStart);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), row.PeriodEnd);
        Assert.Equal(new DateOnly(2010, 1, 1), row.DataFrom);
        Assert.Equal(new DateOnly(2025, 12, 31), row.DataTo);
        Assert.Equal(["HRESCH", "TREAT"], row.Purposes);
        Assert.Equal(["3f2504e0-4f89-41d3-9a0c-0305e82c3301", "lung-2026"], row.Actors);
        Assert.Equal(3, row.Deny.Count);
        Assert.Equal(["MR"], row.Deny[0].Modalities);
        Assert.Equal(["US"], row.Deny[1].Modalities);
        Assert.Equal(["HEAD"], row.Deny[2].BodyParts);
        Assert.Equal("c-17", row.SourceId);
        Assert.DoesNotContain("PAT-001", row.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc4180_quoting_commas_quotes_and_line_breaks_inside_fields()
    {
        // A line break is legal CSV inside quotes but not in a Patient ID (DICOM LO has no control characters).
        var bad = ConsentCsvReader.Read("patient_id,status\n\"A\nB\",inactive\n");
        Assert.Contains("patient_id", Assert.Single(bad.Errors).Reason, StringComparison.Ordinal);
        Rfc4180Rows();
    }

    private static void Rfc4180Rows()
    {
        var csv = "status,patient_id,purposes\n\"active\",\"DOE, \"\"JR\"\"\",HRESCH\n\ninactive,P2,\"HRESCH;\nTREAT\"\nactive,P3,HRESCH";
        var result = ConsentCsvReader.Read(csv);
        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Rows.Count);
        Assert.Equal("DOE, \"JR\"", result.Rows[0].PatientId);
        Assert.Equal("line 4", result.Rows[1].Location);
        Assert.Equal(["HRESCH", "TREAT"], result.Rows[1].Purposes);
        Assert.Equal("line 6", result.Rows[2].Location);
    }

    [Fact]
    public void Bad_rows_are_reported_by_line_and_field_without_values_and_do_not_stop_the_others()
    {
        var csv = Header + "\n"
            + "SECRET-A,,active,,,,,,,,,\n"                      // active without purpose
            + "SECRET-B,,maybe,,,,,HRESCH,,,,\n"                 // bad status
            + "SECRET-C,,active,2026-13-01,,,,HRESCH,,,,\n"      // bad date
            + "SECRET-D,,active,,,,,HRESCH,not-an-actor!,,,\n"   // bad actor
            + "SECRET-E,,active,,,2020-01-02,2020-01-01,HRESCH,,,,\n" // reversed data period
            + "SECRET-F,,active,,,,,HRESCH\n"                    // short row
            + "SECRET\"G,,active,,,,,HRESCH,,,,\n"               // stray quote
            + ",,active,,,,,HRESCH,,,,\n"                        // no patient id
            + "OK-1,,active,,,,,HRESCH,,,,\n";
        var result = ConsentCsvReader.Read(csv);
        Assert.Equal("OK-1", Assert.Single(result.Rows).PatientId);
        Assert.Equal(["line 2", "line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9"], result.Errors.Select(e => e.Location));
        Assert.StartsWith("purposes:", result.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("status", result.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("period_start", result.Errors[2].Reason, StringComparison.Ordinal);
        Assert.StartsWith("actors:", result.Errors[3].Reason, StringComparison.Ordinal);
        Assert.StartsWith("data_to:", result.Errors[4].Reason, StringComparison.Ordinal);
        Assert.Contains("fields", result.Errors[5].Reason, StringComparison.Ordinal);
        Assert.Contains("quote", result.Errors[6].Reason, StringComparison.Ordinal);
        Assert.Contains("patient_id", result.Errors[7].Reason, StringComparison.Ordinal);
        Assert.All(result.Errors, e => Assert.DoesNotContain("SECRET", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_deny_codes_name_their_column()
    {
        var result = ConsentCsvReader.Read("patient_id,status,purposes,deny_modalities,deny_body_parts\nA,active,HRESCH,C-T,\nB,active,HRESCH,,HEAD!\n");
        Assert.Equal(["deny_modalities", "deny_body_parts"], result.Errors.Select(e => e.Reason.Split(':')[0]));
    }

    [Fact]
    public void Missing_header_is_refused_without_echoing_the_first_row()
    {
        var ex = Assert.Throws<ConsentFormatException>(() => ConsentCsvReader.Read("SECRET-ID,active,HRESCH\n"));
        Assert.Equal("line 1, column 1", ex.Location);
        Assert.DoesNotContain("SECRET", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_problems_are_refused()
    {
        Assert.Contains("status", Assert.Throws<ConsentFormatException>(() => ConsentCsvReader.Read("patient_id,purposes\n")).Reason, StringComparison.Ordinal);
        Assert.Contains("twice", Assert.Throws<ConsentFormatException>(() => ConsentCsvReader.Read("patient_id,status,STATUS\n")).Reason, StringComparison.Ordinal);
        Assert.Throws<ConsentFormatException>(() => ConsentCsvReader.Read(string.Empty));
    }

    [Fact]
    public void Unclosed_quote_is_refused_with_its_line()
    {
        var ex = Assert.Throws<ConsentFormatException>(() => ConsentCsvReader.Read("patient_id,status\nA,active\n\"SECRET,active\n"));
        Assert.Equal("line 3", ex.Location);
        Assert.DoesNotContain("SECRET", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused()
    {
        using var stream = new MemoryStream([0x70, 0x61, 0xC3, 0x28]);
        var ex = await Assert.ThrowsAsync<ConsentFormatException>(() => ConsentCsvReader.ReadAsync(stream, TestContext.Current.CancellationToken));
        Assert.Equal("file", ex.Location);
    }

    [Fact]
    public void Period_end_may_be_an_instant_and_start_must_precede_it()
    {
        var ok = ConsentCsvReader.Read("patient_id,status,purposes,period_start,period_end\nA,active,HRESCH,2025-01-01T08:00:00+02:00,2025-01-01T09:00:00Z\n");
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero), Assert.Single(ok.Rows).PeriodEnd);
        var bad = ConsentCsvReader.Read("patient_id,status,purposes,period_start,period_end\nA,active,HRESCH,2025-01-02,2025-01-01\n");
        Assert.StartsWith("period_end:", Assert.Single(bad.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Byte_order_mark_is_accepted_and_oversized_sources_are_refused()
    {
        using var bom = new MemoryStream([0xEF, 0xBB, 0xBF, .. "patient_id,status,purposes\nA,active,HRESCH\n"u8.ToArray()]);
        var read = await ConsentCsvReader.ReadAsync(bom, TestContext.Current.CancellationToken);
        Assert.Single(read.Rows);

        await using var endless = new EndlessStream();
        var ex = await Assert.ThrowsAsync<ConsentFormatException>(() => ConsentCsvReader.ReadAsync(endless, TestContext.Current.CancellationToken));
        Assert.Equal("file", ex.Location);
    }

    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'a');
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
