using System.Text;
using System.Text.Json;
using CloudArchive.Deidentification;
using CloudArchive.Research.Agreements;
using Xunit;

namespace CloudArchive.Research.Tests;

public sealed class AgreementJsonTests
{
    internal const string Recipient = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

    internal static DataSharingAgreement Sample() => new()
    {
        Id = "lung-2026",
        Title = "Lung nodules",
        PurposeOfUse = "HRESCH",
        Recipients = [Recipient],
        ValidFrom = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ValidUntil = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Selection = new AgreementSelection
        {
            Modalities = ["CT"],
            BodyParts = ["CHEST"],
            SopClassUids = ["1.2.840.10008.5.1.4.1.1.2"],
            StudyDateFrom = new DateOnly(2015, 1, 1),
            StudyDateTo = new DateOnly(2025, 12, 31),
        },
        Deidentification = new AgreementDeidentification { Options = ["retainLongitudinalModifiedDates"] },
        CopyRetention = "P2Y",
        CreatedAt = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero),
        CreatedBy = "cli:admin",
    };

    private static string Json(DataSharingAgreement a) => Encoding.UTF8.GetString(AgreementJson.Serialize(a));

    private static AgreementFormatException Fails(string json) =>
        Assert.Throws<AgreementFormatException>(() => AgreementJson.Parse(Encoding.UTF8.GetBytes(json)));

    private static string Mutate(Action<Dictionary<string, object?>> change)
    {
        var doc = JsonSerializer.Deserialize<Dictionary<string, object?>>(Json(Sample()))!;
        change(doc);
        return JsonSerializer.Serialize(doc);
    }

    [Fact]
    public void Serialize_then_parse_round_trips_every_field()
    {
        var profile = JsonDocument.Parse("{\"name\":\"lung-profile\",\"options\":[\"cleanDescriptors\"]}").RootElement;
        var original = Sample() with
        {
            Deidentification = new AgreementDeidentification { ProfileName = "lung-profile", Profile = profile, Options = ["retainUIDs"] },
            ConsentRequired = false,
            Status = AgreementStatus.Closed,
            ClosedAt = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
            ClosedBy = "cli:admin",
            CloseReason = "study finished",
        };
        var parsed = AgreementJson.Parse(AgreementJson.Serialize(original));
        Assert.Equal(Json(original), Json(parsed));
        Assert.Equal("lung-profile", parsed.Deidentification.ProfileName);
        Assert.False(parsed.ConsentRequired);
        Assert.Equal(AgreementStatus.Closed, parsed.Status);
        Assert.Equal(original.Selection.StudyDateTo, parsed.Selection.StudyDateTo);
        Assert.Equal(original.ValidFrom, parsed.ValidFrom);
    }

    [Theory]
    [InlineData("schema", "cloudarchive/agreement/v2", "$.schema")]
    [InlineData("id", "Lung_2026", "$.id")]
    [InlineData("id", "ab", "$.id")]
    [InlineData("purposeOfUse", "research", "$.purposeOfUse")]
    [InlineData("purposeOfUse", "H", "$.purposeOfUse")]
    [InlineData("copyRetention", "2 years", "$.copyRetention")]
    [InlineData("copyRetention", "P0D", "$.copyRetention")]
    [InlineData("copyRetention", "PT5H", "$.copyRetention")]
    [InlineData("validUntil", "2025-01-01T00:00:00Z", "$.validUntil")]
    [InlineData("validFrom", "2026-01-01T00:00:00", "$.validFrom")]
    [InlineData("status", "open", "$.status")]
    [InlineData("title", "a\u0007b", "$.title")]
    public void Invalid_values_are_refused_with_their_path(string property, string value, string location)
    {
        var ex = Fails(Mutate(d => d[property] = value));
        Assert.Equal(location, ex.Location);
    }

    [Fact]
    public void Unknown_property_is_refused()
    {
        Assert.Equal("$.owner", Fails(Mutate(d => d["owner"] = "x")).Location);
    }

    [Fact]
    public void Recipients_must_be_present_guids_without_duplicates()
    {
        Assert.Equal("$.recipients", Fails(Mutate(d => d["recipients"] = Array.Empty<string>())).Location);
        Assert.Equal("$.recipients[1]", Fails(Mutate(d => d["recipients"] = new[] { Recipient, "alice@example.org" })).Location);
        Assert.Equal("$.recipients[1]", Fails(Mutate(d => d["recipients"] = new[] { Recipient, Recipient.ToUpperInvariant() })).Location);
    }

    [Fact]
    public void Selection_codes_uids_and_date_order_are_checked()
    {
        Assert.Equal("$.selection.modalities[0]", Fails(Mutate(d => d["selection"] = new { modalities = new[] { "ct" } })).Location);
        Assert.Equal("$.selection.sopClassUids[0]", Fails(Mutate(d => d["selection"] = new { sopClassUids = new[] { "1.2.abc" } })).Location);
        Assert.Equal("$.selection.studyDateTo", Fails(Mutate(d => d["selection"] = new { studyDateFrom = "2020-01-02", studyDateTo = "2020-01-01" })).Location);
        Assert.Equal("$.selection.studyDateFrom", Fails(Mutate(d => d["selection"] = new { studyDateFrom = "20200102" })).Location);
        Assert.Equal("$.selection.color", Fails(Mutate(d => d["selection"] = new { color = "red" })).Location);
    }

    [Fact]
    public void Deidentification_options_and_embedded_profile_are_validated()
    {
        Assert.Equal("$.deidentification.options[0]", Fails(Mutate(d => d["deidentification"] = new { options = new[] { "keepEverything" } })).Location);
        Assert.Equal("$.deidentification.options", Fails(Mutate(d => d["deidentification"] = new { options = new[] { "retainLongitudinalFullDates", "retainLongitudinalModifiedDates" } })).Location);
        var badProfile = Fails(Mutate(d => d["deidentification"] = new { profileName = "p", profile = new { name = "p", overrides = new[] { new { keyword = "PatientName", action = "Q" } } } }));
        Assert.StartsWith("$.deidentification.profile.overrides[0]", badProfile.Location, StringComparison.Ordinal);
        Assert.Equal("$.deidentification.profileName", Fails(Mutate(d => d["deidentification"] = new { profileName = "other", profile = new { name = "p" } })).Location);
        Assert.Equal("$.deidentification.profileName", Fails(Mutate(d => d["deidentification"] = new { profileName = "custom" })).Location);
    }

    [Fact]
    public void Malformed_json_duplicates_and_trailing_commas_are_refused()
    {
        Assert.Equal("$", Fails("{\"id\":").Location);
        Assert.Equal("$", Fails("{\"id\":\"abc\",\"id\":\"abd\"}").Location);
        Assert.Equal("$", Fails("{\"id\":\"abc\",}").Location);
        Assert.Equal("$", Fails("[]").Location);
    }

    [Fact]
    public void Active_agreement_cannot_carry_closing_fields_and_closed_one_needs_them()
    {
        Assert.Equal("$.status", Fails(Mutate(d => d["closeReason"] = "x")).Location);
        Assert.Equal("$.closedAt", Fails(Mutate(d => d["status"] = "closed")).Location);
    }

    [Fact]
    public void Draft_rejects_archive_set_fields_and_defaults_consent_required()
    {
        var draftJson = "{\"id\":\"abc\",\"purposeOfUse\":\"HRESCH\",\"recipients\":[\"" + Recipient + "\"],\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2027-01-01T00:00:00+01:00\",\"copyRetention\":\"P1Y\"}";
        var draft = AgreementJson.ParseDraft(Encoding.UTF8.GetBytes(draftJson));
        Assert.True(draft.ConsentRequired);
        Assert.Equal("basic", draft.Deidentification.ProfileName);
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero), draft.ValidUntil);
        var withStatus = draftJson.Replace("{\"id\"", "{\"status\":\"active\",\"id\"", StringComparison.Ordinal);
        Assert.Equal("$.status", Assert.Throws<AgreementFormatException>(() => AgreementJson.ParseDraft(Encoding.UTF8.GetBytes(withStatus))).Location);
    }

    [Fact]
    public void Deid_settings_combine_embedded_profile_and_agreement_options()
    {
        var profile = JsonDocument.Parse("{\"name\":\"lung-profile\",\"options\":[\"cleanDescriptors\"]}").RootElement;
        var settings = AgreementDeidSettings.Build(Sample() with
        {
            Deidentification = new AgreementDeidentification { ProfileName = "lung-profile", Profile = profile, Options = ["retainUIDs"] },
        });
        Assert.Equal("lung-profile", settings.Name);
        Assert.Contains(DeidOption.CleanDescriptors, settings.Options);
        Assert.Contains(DeidOption.RetainUids, settings.Options);

        var basic = AgreementDeidSettings.Build(Sample());
        Assert.Equal("basic", basic.Name);
        Assert.Equal([DeidOption.RetainLongitudinalModifiedDates], basic.Options);
    }

    [Fact]
    public void Canonical_option_keys_accept_cli_spellings_and_reject_unknown_ones()
    {
        Assert.Equal(["retainUIDs", "cleanDescriptors"], AgreementDeidSettings.CanonicalOptionKeys("clean-descriptors, RETAIN_UIDS"));
        Assert.Throws<DeidConfigurationException>(() => AgreementDeidSettings.CanonicalOptionKeys("retainEverything"));
    }

    [Fact]
    public void Names_map_ids_to_blobs_and_back()
    {
        Assert.Equal("agreements/lung-2026.json", AgreementNames.For("lung-2026"));
        Assert.Equal("lung-2026", AgreementNames.IdOf("agreements/lung-2026.json"));
        Assert.Null(AgreementNames.IdOf("agreements/Bad.json"));
        Assert.Null(AgreementNames.IdOf("consents/x.json"));
        Assert.Throws<ArgumentException>(() => AgreementNames.For("../x"));
    }
}
