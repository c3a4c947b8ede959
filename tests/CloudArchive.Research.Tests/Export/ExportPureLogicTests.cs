using System.Text;
using CloudArchive.Research.Export;
using Xunit;

namespace CloudArchive.Research.Tests.Export;

public sealed class ExportPureLogicTests
{
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "bbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string I1 = "iiiiiiiiiiiiiiiiiiiiiiiii2";
    private const string I2 = "iiiiiiiiiiiiiiiiiiiiiiiii3";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async IAsyncEnumerable<ArchiveIndexEntry> Listing(params ArchiveIndexEntry[] entries)
    {
        foreach (var e in entries)
        {
            await Task.Yield();
            yield return e;
        }
    }

    [Fact]
    public async Task Contiguous_records_are_grouped_per_study_and_foreign_names_are_skipped()
    {
        var seen = new HashSet<string>();
        var groups = new List<StudyIndexGroup>();
        await foreach (var g in ResearchExporter.GroupByStudyAsync(Listing(new(A, I1, "1"), new(A, I2, "1"), new("NOT-A-KEY", I1, null), new(B, I1, null)), seen, Ct))
        {
            groups.Add(g);
        }

        Assert.Equal([A, B], groups.Select(g => g.StudyKey));
        Assert.Equal(2, groups[0].Entries.Count);
        Assert.Equal([A, B], seen.Order());
    }

    [Fact]
    public async Task An_unordered_listing_is_refused_rather_than_counting_a_study_twice()
    {
        var seen = new HashSet<string>();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in ResearchExporter.GroupByStudyAsync(Listing(new(A, I1, null), new(B, I1, null), new(A, I2, null)), seen, Ct))
            {
            }
        });
    }

    [Fact]
    public void The_source_hash_ignores_order_and_changes_with_a_record_version_or_a_new_record()
    {
        var one = ResearchExporter.SourceHash([new(A, I1, "1"), new(A, I2, "1")]);
        Assert.Equal(one, ResearchExporter.SourceHash([new(A, I2, "1"), new(A, I1, "1")]));
        Assert.NotEqual(one, ResearchExporter.SourceHash([new(A, I1, "2"), new(A, I2, "1")]));
        Assert.NotEqual(one, ResearchExporter.SourceHash([new(A, I1, "1")]));
    }

    [Fact]
    public void Exclusion_reason_codes_are_kebab_case_and_round_trip()
    {
        Assert.Equal("consent-not-active", ExclusionReasonCodes.Code(ExclusionReason.ConsentNotActive));
        Assert.Equal("deidentification-refused", ExclusionReasonCodes.Code(ExclusionReason.DeidentificationRefused));
        foreach (var reason in Enum.GetValues<ExclusionReason>())
        {
            Assert.Equal(reason, ExclusionReasonCodes.Parse(ExclusionReasonCodes.Code(reason)));
        }

        Assert.Null(ExclusionReasonCodes.Parse("no-such-reason"));
    }

    [Fact]
    public void Ledger_names_carry_only_the_agreement_and_opaque_study_key()
    {
        Assert.Equal($"exports/lung-1/studies/{A}.json", ExportNames.LedgerEntry("lung-1", A));
        Assert.Equal(A, ExportNames.StudyKeyOfLedgerEntry("lung-1", ExportNames.LedgerEntry("lung-1", A)));
        Assert.Null(ExportNames.StudyKeyOfLedgerEntry("lung-1", ExportNames.LedgerEntry("lung-2", A)));
        Assert.Null(ExportNames.StudyKeyOfLedgerEntry("lung-1", "exports/lung-1/manifest.json"));
        Assert.Throws<ArgumentException>(() => ExportNames.LedgerEntry("lung-1", "1.2.840.1"));
        Assert.Throws<ArgumentException>(() => ExportNames.LedgerEntry("../x", A));
    }

    private static ExportLedgerEntry Entry(string blobName) => new()
    {
        AgreementId = "lung-1",
        StudyKey = A,
        ResearchStudyUid = "2.25.1",
        SettingsHash = "h",
        SourceHash = "s",
        Instances = [new ExportLedgerInstance { InstanceKey = I1, SeriesUid = "2.25.2", InstanceUid = "2.25.3", BlobName = blobName, Bytes = 10 }],
        FirstExportedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_ledger_entry_round_trips_through_json()
    {
        var entry = Entry("lung-1/studies/2.25.1/series/2.25.2/instances/2.25.3.dcm");
        var back = ExportLedgerJson.Deserialize(ExportLedgerJson.Serialize(entry), "lung-1", A, "n");
        Assert.Equal(entry.Instances.Single(), back.Instances.Single());
        Assert.Equal(entry with { Instances = back.Instances }, back);
    }

    [Theory]
    [InlineData("other-1/studies/2.25.1/series/2.25.2/instances/2.25.3.dcm")]
    [InlineData("lung-1/studies/2.25.9/series/2.25.2/instances/2.25.3.dcm")]
    [InlineData("lung-1/manifest.json")]
    public void A_ledger_entry_naming_blobs_outside_its_agreement_and_study_is_refused(string blobName)
    {
        var json = ExportLedgerJson.Serialize(Entry(blobName));
        Assert.Throws<ExportLedgerFormatException>(() => ExportLedgerJson.Deserialize(json, "lung-1", A, "n"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"schema\":\"cloudarchive/export-ledger/v1\",\"unknown\":1}")]
    public void A_malformed_ledger_entry_is_a_typed_error(string text)
    {
        var ex = Assert.Throws<ExportLedgerFormatException>(() => ExportLedgerJson.Deserialize(Encoding.UTF8.GetBytes(text), "lung-1", A, "exports/lung-1/studies/x.json"));
        Assert.Equal("exports/lung-1/studies/x.json", ex.BlobName);
    }

    [Fact]
    public void The_settings_hash_changes_with_options_and_software_release_but_not_with_build_metadata()
    {
        var basic = new global::CloudArchive.Research.Agreements.AgreementDeidentification();
        var a = ExportDeidentification.Create(basic, "1.0");
        Assert.Equal(a.Hash, ExportDeidentification.Create(basic, "1.0").Hash);
        Assert.NotEqual(a.Hash, ExportDeidentification.Create(basic, "1.1").Hash);

        // A rebuild of the same release (different commit in the build metadata) re-exports nothing.
        Assert.Equal(a.Hash, ExportDeidentification.Create(basic, "1.0+0f04cbdedf23e00584778c52c3e3d37c381b0825").Hash);
        Assert.Equal("1.0+0f04cbdedf23e00584778c52c3e3d37c381b0825", ExportDeidentification.Create(basic, "1.0+0f04cbdedf23e00584778c52c3e3d37c381b0825").SoftwareVersion);
        var withOption = ExportDeidentification.Create(basic with { Options = ["retainLongitudinalModifiedDates"] }, "1.0");
        Assert.NotEqual(a.Hash, withOption.Hash);
        Assert.Equal(["retainLongitudinalModifiedDates"], withOption.OptionKeys);
        Assert.Throws<Deidentification.DeidConfigurationException>(() => ExportDeidentification.Create(basic with { Options = ["nonsense"] }, "1.0"));
    }
}
