using System.Text;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Research.Consent;
using Xunit;

namespace CloudArchive.Research.Tests;

public sealed class ConsentServiceTests : IDisposable
{
    private const string Header = "patient_id,issuer,status,purposes,deny_modalities,consent_id";
    private readonly ResearchHarness _h = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _h.Dispose();

    private static MemoryStream Csv(params string[] rows) => new(Encoding.UTF8.GetBytes(Header + "\n" + string.Join("\n", rows) + "\n"));

    [Theory]
    [InlineData("PAT-001", "HOSP_A")]
    [InlineData("PAT-001", null)]
    [InlineData(" PAT-001\0", "HOSP_A ")]
    [InlineData("Müller^7", "")]
    public async Task Pseudonym_equals_the_one_ingest_derives(string patientId, string? issuer)
    {
        using var ingestKeys = new IngestKeys(await _h.Keyring.GetIndexKeyNamerAsync(Ct));
        var service = await _h.ConsentServiceAsync();
        Assert.Equal(ingestKeys.PatientPseudonym(patientId, issuer), service.PseudonymOf(patientId, issuer));
        Assert.True(ConsentNames.IsPseudonym(service.PseudonymOf(patientId, issuer)));
    }

    [Fact]
    public async Task Pseudonym_depends_on_the_issuer()
    {
        var service = await _h.ConsentServiceAsync();
        Assert.NotEqual(service.PseudonymOf("PAT-001", "HOSP_A"), service.PseudonymOf("PAT-001", "HOSP_B"));
        Assert.NotEqual(service.PseudonymOf("PAT-001", "HOSP_A"), service.PseudonymOf("PAT-001", null));
        Assert.Null(PatientPseudonymizer.Pseudonym(await _h.Keyring.GetIndexKeyNamerAsync(Ct), "  ", "HOSP_A"));
    }

    [Fact]
    public async Task Import_stores_records_by_pseudonym_only_and_audits_each()
    {
        var service = await _h.ConsentServiceAsync();
        using var csv = Csv("PAT-001,HOSP_A,active,HRESCH,MR,c1", "PAT-002,HOSP_A,active,HRESCH,,c2");
        var result = await service.ImportCsvAsync(csv, strict: false, ResearchHarness.Admin, Ct);
        Assert.Equal(2, result.Imported);
        Assert.Empty(result.Errors);

        var p1 = service.PseudonymOf("PAT-001", "HOSP_A");
        var stored = await _h.Consents.GetAsync(p1, Ct);
        Assert.NotNull(stored);
        Assert.Equal("csv", stored.Source);
        Assert.Equal("cli:admin", stored.RecordedBy);
        Assert.Equal(_h.Clock.GetUtcNow(), stored.RecordedAt);
        Assert.Equal(["MR"], Assert.Single(stored.Deny).Modalities);
        Assert.All(_h.Consents.Documents, d => Assert.DoesNotContain("PAT-00", Encoding.UTF8.GetString(d), StringComparison.Ordinal));
        Assert.All(_h.Consents.Keys, k => Assert.DoesNotContain("PAT", k, StringComparison.Ordinal));

        var audit = _h.AuditText();
        Assert.Equal(2, CountOf(audit, "consent-imported"));
        Assert.Contains(p1, audit, StringComparison.Ordinal);
        Assert.Contains("110100", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("PAT-00", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_is_idempotent_and_changed_terms_are_updates()
    {
        var service = await _h.ConsentServiceAsync();
        using (var first = Csv("PAT-001,HOSP_A,active,HRESCH,,c1"))
        {
            await service.ImportCsvAsync(first, false, ResearchHarness.Admin, Ct);
        }

        _h.Clock.Advance(TimeSpan.FromDays(1));
        using (var same = Csv("PAT-001,HOSP_A,active,HRESCH,,c1"))
        {
            var again = await service.ImportCsvAsync(same, false, ResearchHarness.Admin, Ct);
            Assert.Equal((0, 0, 1), (again.Imported, again.Updated, again.Unchanged));
        }

        using (var changed = Csv("PAT-001,HOSP_A,active,HRESCH,CT,c1"))
        {
            var update = await service.ImportFhirOrCsv(changed);
            Assert.Equal((0, 1, 0), (update.Imported, update.Updated, update.Unchanged));
        }

        Assert.Equal(2, _h.Consents.Puts);
        Assert.Equal(1, CountOf(_h.AuditText(), "consent-updated"));
    }

    [Fact]
    public async Task Bad_rows_are_skipped_unless_strict_and_duplicates_are_errors()
    {
        var service = await _h.ConsentServiceAsync();
        using (var csv = Csv("PAT-001,HOSP_A,active,HRESCH,,", "PAT-002,HOSP_A,bogus,HRESCH,,", " PAT-001 ,HOSP_A,inactive,,,"))
        {
            var strict = await service.ImportCsvAsync(csv, strict: true, ResearchHarness.Admin, Ct);
            Assert.True(strict.AbortedByStrictMode);
            Assert.Equal(0, strict.Imported);
            Assert.Equal(["line 3", "line 4"], strict.Errors.Select(e => e.Location));
            Assert.Contains("line 2", strict.Errors[1].Reason, StringComparison.Ordinal);
            Assert.Equal(0, _h.Consents.Puts);
        }

        using (var csv = Csv("PAT-001,HOSP_A,active,HRESCH,,", "PAT-002,HOSP_A,bogus,HRESCH,,"))
        {
            var lenient = await service.ImportCsvAsync(csv, strict: false, ResearchHarness.Admin, Ct);
            Assert.False(lenient.AbortedByStrictMode);
            Assert.Equal(1, lenient.Imported);
            Assert.Equal("line 3", Assert.Single(lenient.Errors).Location);
        }
    }

    [Fact]
    public async Task Fhir_import_uses_identifier_system_as_issuer()
    {
        var service = await _h.ConsentServiceAsync();
        using var json = new MemoryStream(Encoding.UTF8.GetBytes(ConsentFhirReaderTests.FullConsent));
        var result = await service.ImportFhirAsync(json, false, ResearchHarness.Admin, Ct);
        Assert.Equal(1, result.Imported);
        var stored = await _h.Consents.GetAsync(service.PseudonymOf("PAT-001", "HOSP_A"), Ct);
        Assert.NotNull(stored);
        Assert.Equal("fhir", stored.Source);
        Assert.Equal("consent-1", stored.SourceId);
        Assert.Contains("source=fhir", _h.AuditText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_sets_inactive_keeps_terms_records_who_when_why_and_audits()
    {
        var service = await _h.ConsentServiceAsync();
        using (var csv = Csv("PAT-001,HOSP_A,active,HRESCH,MR,c1"))
        {
            await service.ImportCsvAsync(csv, false, ResearchHarness.Admin, Ct);
        }

        _h.Clock.Advance(TimeSpan.FromHours(5));
        var officer = new CloudArchive.Core.Audit.AuditActor("cli:privacy-officer");
        var revoked = await service.RevokeAsync("PAT-001", "HOSP_A", "withdrawn by letter", officer, Ct);
        Assert.NotNull(revoked);
        var stored = (await service.GetAsync("PAT-001", "HOSP_A", Ct))!;
        Assert.Equal(ConsentStatus.Inactive, stored.Status);
        Assert.Equal(["HRESCH"], stored.Purposes);
        Assert.Equal(["MR"], Assert.Single(stored.Deny).Modalities);
        Assert.Equal("withdrawn by letter", stored.StatusReason);
        Assert.Equal("cli:privacy-officer", stored.RecordedBy);
        Assert.Equal(_h.Clock.GetUtcNow(), stored.RecordedAt);
        var audit = _h.AuditText();
        Assert.Equal(1, CountOf(audit, "consent-revoked"));
        Assert.Contains("cli:privacy-officer", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("withdrawn by letter", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_an_unknown_patient_changes_nothing()
    {
        var service = await _h.ConsentServiceAsync();
        Assert.Null(await service.RevokeAsync("NOBODY", null, null, ResearchHarness.Admin, Ct));
        Assert.Equal(0, _h.Consents.Puts);
        Assert.DoesNotContain("consent-revoked", _h.AuditText(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => service.PseudonymOf(" ", null));
    }

    private static int CountOf(string text, string value)
    {
        int count = 0, at = 0;
        while ((at = text.IndexOf(value, at, StringComparison.Ordinal)) >= 0)
        {
            count++;
            at += value.Length;
        }

        return count;
    }
}

internal static class ConsentServiceTestExtensions
{
    public static Task<ConsentImportResult> ImportFhirOrCsv(this ConsentService service, Stream csv) =>
        service.ImportCsvAsync(csv, false, ResearchHarness.Admin, TestContext.Current.CancellationToken);
}
