using CloudArchive.Core.Retention;
using CloudArchive.Dicom;
using Xunit;
using static CloudArchive.Core.Tests.Retention.ShippedPolicies;

namespace CloudArchive.Core.Tests.Retention;

public sealed class RetentionFactsReaderTests
{
    [Theory]
    [InlineData("20200315", "2020-03-15")]
    [InlineData("20200315 ", "2020-03-15")]
    [InlineData("2020.03.15", "2020-03-15")]
    [InlineData("20200230", null)]
    [InlineData("2020-03-15", null)]
    [InlineData("20200315-20200316", null)]
    [InlineData("18000101", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void DA_values_parse_strictly(string? value, string? expected)
    {
        Assert.Equal(expected is null ? null : D(expected), RetentionFactsReader.ParseDate(value));
    }

    [Fact]
    public void Facts_come_from_study_date_birth_date_and_modality()
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0008, 0x0020), "20200315");
        ds.SetString(new DicomTag(0x0010, 0x0030), "20100601");
        ds.SetString(new DicomTag(0x0008, 0x0060), "MG");

        var facts = RetentionFactsReader.Read(ds, D("2025-01-01"), "GB-ENG");

        Assert.Equal(new RetentionFacts { IngestDate = D("2025-01-01"), ExamDate = D("2020-03-15"), BirthDate = D("2010-06-01"), Modality = "MG", Jurisdiction = "GB-ENG" }, facts);
    }

    [Fact]
    public void Series_date_stands_in_for_a_missing_study_date()
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0008, 0x0020), "garbage!");
        ds.SetString(new DicomTag(0x0008, 0x0021), "20190101");

        var facts = RetentionFactsReader.Read(ds, D("2025-01-01"), null);

        Assert.Equal(D("2019-01-01"), facts.ExamDate);
        Assert.Null(facts.BirthDate);
        Assert.Null(facts.Modality);
    }

    [Fact]
    public async Task A_real_CT_gets_a_retention_date()
    {
        await using var file = await DicomFile.OpenAsync(Path.Combine(AppContext.BaseDirectory, "dicom", "CT_small.dcm"), cancellationToken: TestContext.Current.CancellationToken);
        var policy = await LoadAsync("de-strlschg.json", "default.json");

        var facts = RetentionFactsReader.Read(file.Dataset, D("2026-11-22"), "DE");
        var decision = policy.Evaluate(facts);

        Assert.NotNull(facts.ExamDate);
        Assert.Equal("CT", facts.Modality);
        Assert.True(decision.RetainUntil >= facts.ExamDate!.Value.AddYears(10));
    }
}
