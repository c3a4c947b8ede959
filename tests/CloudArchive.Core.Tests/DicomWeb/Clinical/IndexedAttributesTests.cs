using CloudArchive.Core.Archive;
using CloudArchive.Core.Keys;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Core.Tests.DicomWeb.Clinical;

/// <summary>The attributes ingest copies into the encrypted index record for clinical QIDO-RS, and the accession pseudonym.</summary>
public sealed class IndexedAttributesTests
{
    [Fact]
    public async Task Capture_takes_text_and_numbers_as_dicom_text()
    {
        await using var file = await DicomReader.ReadFileAsync(Path.Combine(AppContext.BaseDirectory, "dicom", "CT_small.dcm"), cancellationToken: TestContext.Current.CancellationToken);
        var captured = IndexedAttributes.Capture(file.Dataset);
        Assert.Equal(file.Dataset.GetString(new DicomTag(0x0020, 0x000D)), captured["0020000D"]);
        Assert.Equal("128", captured["00280010"]);
        Assert.Equal("CT", captured["00080060"]);
        Assert.DoesNotContain("7FE00010", captured.Keys);
        Assert.Equal(file.Dataset.GetString(new DicomTag(0x0010, 0x0010))!.TrimEnd(' '), captured["00100010"]);
    }

    [Fact]
    public void Absent_and_empty_values_are_not_indexed()
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0008, 0x0050), string.Empty);
        Assert.Empty(IndexedAttributes.Capture(ds));
    }

    [Fact]
    public void The_accession_pseudonym_ignores_padding_differs_from_the_patient_pseudonym_and_is_null_without_a_value()
    {
        using var namer = new OpaqueKeyNamer(new byte[32]);
        var key = AccessionPseudonymizer.Pseudonym(namer, "A123");
        Assert.Equal(OpaqueKeyNamer.NameLength, key!.Length);
        Assert.Equal(key, AccessionPseudonymizer.Pseudonym(namer, "A123 \0"));
        Assert.NotEqual(key, PatientPseudonymizer.Pseudonym(namer, "A123", null));
        Assert.NotEqual(key, namer.NameFor("A123"));
        Assert.Null(AccessionPseudonymizer.Pseudonym(namer, "  "));
    }
}
