using System.Text;
using CloudArchive.Research.Consent;
using Xunit;

namespace CloudArchive.Research.Tests;

public sealed class ConsentFhirReaderTests
{
    internal const string FullConsent = """
        {
          "resourceType": "Consent",
          "id": "consent-1",
          "status": "active",
          "scope": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "research" } ] },
          "category": [ { "coding": [ { "system": "http://loinc.org", "code": "57016-8" } ] } ],
          "patient": { "identifier": { "system": "HOSP_A", "value": "PAT-001" } },
          "provision": {
            "type": "permit",
            "period": { "start": "2025-01-01", "end": "2026-12-31" },
            "dataPeriod": { "start": "2010-01-01", "end": "2025-12-31T23:59:59Z" },
            "purpose": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HRESCH" } ],
            "actor": [
              { "role": { "coding": [ { "code": "IRCP" } ] }, "reference": { "reference": "Group/3f2504e0-4f89-41d3-9a0c-0305e82c3301" } },
              { "reference": { "identifier": { "value": "lung-2026" } } }
            ],
            "provision": [
              { "type": "deny", "class": [ { "system": "http://dicom.nema.org/resources/ontology/DCM", "code": "MR" } ] },
              { "type": "deny", "code": [ { "coding": [
                  { "system": "urn:cloudarchive:body-part-examined", "code": "HEAD" },
                  { "system": "http://snomed.info/sct", "code": "76752008" } ] } ] }
            ]
          }
        }
        """;

    private static ConsentSourceReadResult Read(string json) => ConsentFhirReader.Read(Encoding.UTF8.GetBytes(json));

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, FullConsent, StringComparison.Ordinal);
        return FullConsent.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_consent_maps_patient_period_purposes_actors_and_deny_provisions()
    {
        var result = Read(FullConsent);
        Assert.Empty(result.Errors);
        var row = Assert.Single(result.Rows);
        Assert.Equal("PAT-001", row.PatientId);
        Assert.Equal("HOSP_A", row.Issuer);
        Assert.Equal("consent-1", row.SourceId);
        Assert.Equal(ConsentStatus.Active, row.Status);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), row.PeriodStart);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), row.PeriodEnd);
        Assert.Equal(new DateOnly(2010, 1, 1), row.DataFrom);
        Assert.Equal(new DateOnly(2025, 12, 31), row.DataTo);
        Assert.Equal(["HRESCH"], row.Purposes);
        Assert.Equal(["3f2504e0-4f89-41d3-9a0c-0305e82c3301", "lung-2026"], row.Actors);
        Assert.Equal(2, row.Deny.Count);
        Assert.Equal(["MR"], row.Deny[0].Modalities);
        Assert.Equal(["HEAD", "BREAST"], row.Deny[1].BodyParts);
    }

    [Fact]
    public void Bundle_reads_each_consent_and_reports_bad_entries_by_index()
    {
        var bundle = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":" + FullConsent + "},"
            + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"x\"}},"
            + "{\"resource\":" + Replace("\"status\": \"active\"", "\"status\": \"signed\"") + "},"
            + "{\"resource\":" + Replace("PAT-001", "PAT-002") + "}]}";
        var result = Read(bundle);
        Assert.Equal(["PAT-001", "PAT-002"], result.Rows.Select(r => r.PatientId));
        Assert.Equal(["entry[1]", "entry[2]"], result.Errors.Select(e => e.Location));
        Assert.Contains("status", result.Errors[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Patient_reference_without_identifier_is_an_error_without_the_value()
    {
        var result = Read(Replace("\"patient\": { \"identifier\": { \"system\": \"HOSP_A\", \"value\": \"PAT-001\" } }", "\"patient\": { \"reference\": \"Patient/SECRET-9\" }"));
        var error = Assert.Single(result.Errors);
        Assert.Contains("patient.identifier", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"type\": \"permit\",", "\"type\": \"deny\",", "provision.type")]
    [InlineData("\"type\": \"deny\", \"class\"", "\"type\": \"permit\", \"class\"", "provision.provision[0].type")]
    [InlineData("\"code\": \"76752008\"", "\"code\": \"123456\"", "provision.provision[1].code[0].coding[1].code")]
    [InlineData("\"system\": \"urn:cloudarchive:body-part-examined\"", "\"system\": \"http://loinc.org\"", "provision.provision[1].code[0].coding[0].system")]
    [InlineData("\"code\": \"HRESCH\"", "\"code\": \"research\"", "provision.purposes[0]")]
    [InlineData("\"reference\": \"Group/3f2504e0-4f89-41d3-9a0c-0305e82c3301\"", "\"reference\": \"#contained\"", "provision.actor[0].reference.reference")]
    [InlineData("\"end\": \"2026-12-31\"", "\"end\": \"next year\"", "provision.period.end")]
    [InlineData("\"type\": \"permit\",", "\"type\": \"permit\", \"securityLabel\": [],", "provision.securityLabel")]
    [InlineData("\"id\": \"consent-1\",", "\"id\": \"consent-1\", \"modifierExtension\": [],", "modifierExtension")]
    public void Unsupported_or_invalid_content_makes_that_consent_an_error(string from, string to, string field)
    {
        var result = Read(Replace(from, to));
        Assert.Empty(result.Rows);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(field, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_resource_types_and_malformed_json_are_refused()
    {
        Assert.Equal("$.resourceType", Assert.Throws<ConsentFormatException>(() => Read("{\"resourceType\":\"Patient\"}")).Location);
        Assert.Equal("$", Assert.Throws<ConsentFormatException>(() => Read("{\"resourceType\":")).Location);
    }

    [Fact]
    public void Inactive_consent_without_provision_is_accepted()
    {
        var result = Read("{\"resourceType\":\"Consent\",\"status\":\"inactive\",\"patient\":{\"identifier\":{\"value\":\"P9\"}}}");
        var row = Assert.Single(result.Rows);
        Assert.Equal(ConsentStatus.Inactive, row.Status);
        Assert.Null(row.Issuer);
        Assert.Empty(row.Purposes);
    }
}
