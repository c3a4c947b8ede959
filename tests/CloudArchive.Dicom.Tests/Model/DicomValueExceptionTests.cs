using Xunit;

namespace CloudArchive.Dicom.Tests.Model;

/// <summary>
/// Every value conversion of the codec that used to raise a .NET exception (FormatException, OverflowException,
/// ArgumentException, InvalidOperationException) raises DicomValueException, with the tag and never the value.
/// </summary>
public sealed class DicomValueExceptionTests
{
    private static readonly DicomTag SliceThickness = new(0x0018, 0x0050);
    private static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);

    [Theory]
    [InlineData("SECRET-42")]
    [InlineData("1.5e")]
    public void A_decimal_string_that_is_not_a_number_names_the_tag_not_the_value(string value)
    {
        var element = DicomValueElement.FromStrings(SliceThickness, DicomVR.DS, ["1.0", value]);
        var error = Assert.Throws<DicomValueException>(() => element.GetDecimalStrings());
        Assert.Equal(SliceThickness, error.Tag);
        Assert.Contains("(0018,0050)", error.Message, StringComparison.Ordinal);
        Assert.Contains("value 2", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Theory]
    [InlineData("12A")]
    [InlineData("99999999999999999999")]
    [InlineData("-99999999999999999999")]
    [InlineData("1.5")]
    public void An_integer_string_that_is_not_an_integer_or_overflows_names_the_tag_not_the_value(string value)
    {
        var element = DicomValueElement.FromStrings(NumberOfFrames, DicomVR.IS, [value]);
        var error = Assert.Throws<DicomValueException>(() => element.GetIntegerStrings());
        Assert.Equal(NumberOfFrames, error.Tag);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void Text_the_character_set_cannot_encode_fails_without_quoting_it()
    {
        var latin1 = DicomCharacterSet.FromSpecificCharacterSet(["ISO_IR 100"]);
        var error = Assert.Throws<DicomValueException>(() => latin1.Encode("Müller^王"));
        Assert.Null(error.Tag);
        Assert.DoesNotContain("王", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Müller", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void A_multi_byte_set_without_a_single_byte_extension_cannot_encode_non_ascii_text()
    {
        var jis = DicomCharacterSet.FromSpecificCharacterSet([string.Empty, "ISO 2022 IR 149"]);
        Assert.Throws<DicomValueException>(() => jis.Encode("é"));
    }

    [Fact]
    public void Setting_unencodable_text_names_the_tag()
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        var error = Assert.Throws<DicomValueException>(() => ds.SetString(PatientName, "王^小東"));
        Assert.Equal(PatientName, error.Tag);
        Assert.DoesNotContain("王", error.Message, StringComparison.Ordinal);
        Assert.False(ds.Contains(PatientName));
    }

    [Fact]
    public void Strings_for_a_binary_vr_are_refused_with_the_tag()
    {
        var rows = new DicomTag(0x0028, 0x0010);
        var error = Assert.Throws<DicomValueException>(() => DicomValueElement.FromStrings(rows, DicomVR.US, ["512"]));
        Assert.Equal(rows, error.Tag);
        Assert.DoesNotContain("512", error.Message, StringComparison.Ordinal);
        Assert.Throws<DicomValueException>(() => new DicomDataset().SetString(rows, "512"));
    }

    [Fact]
    public void A_bulk_value_too_large_for_an_array_is_refused_with_the_tag_before_it_is_read()
    {
        var opened = false;
        var bulk = DicomBulkData.FromStreamFactory(
            () =>
            {
                opened = true;
                return Stream.Null;
            },
            (long)Array.MaxLength + 1);
        var element = new DicomValueElement(DicomTags.PixelData, DicomVR.OB, bulk);
        var error = Assert.Throws<DicomValueException>(() => element.GetBytes());
        Assert.Equal(DicomTags.PixelData, error.Tag);
        Assert.False(opened);
    }
}
