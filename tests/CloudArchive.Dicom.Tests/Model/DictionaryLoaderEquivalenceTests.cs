using System.Globalization;
using System.Text.Json;
using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Model;

/// <summary>The embedded dictionary is read with a streaming parser for start-up speed; this compares every entry it
/// produces with an independent tree-based reading of data/dicom/dicom_dictionary.json.</summary>
public sealed class DictionaryLoaderEquivalenceTests
{
    [Fact]
    public void Every_entry_equals_an_independent_reading_of_the_json()
    {
        var path = Path.GetFullPath(Path.Combine(Samples.Directory, "..", "..", "data", "dicom", "dicom_dictionary.json"));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal(doc.RootElement.GetProperty("_meta").GetProperty("dicomEdition").GetString(), DicomDictionary.Edition);
        var expected = doc.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(expected.Count, DicomDictionary.Entries.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var json = expected[i];
            var entry = DicomDictionary.Entries[i];
            var repeating = json.GetProperty("repeating").GetBoolean();
            var value = uint.Parse(json.GetProperty(repeating ? "maskedValue" : "tag").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var mask = repeating ? uint.Parse(json.GetProperty("mask").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0xFFFFFFFF;
            var context = json.GetProperty("tag").GetString();
            Assert.True(value == entry.Tag.Value, context);
            Assert.True(mask == entry.Mask, context);
            Assert.Equal(json.GetProperty("keyword").GetString(), entry.Keyword);
            Assert.Equal(json.GetProperty("name").GetString(), entry.Name);
            Assert.Equal(json.GetProperty("vr").GetString(), entry.VRText);
            Assert.Equal(json.GetProperty("vm").GetString(), entry.VM);
            Assert.Equal(json.GetProperty("retired").GetBoolean(), entry.IsRetired);
            var vrs = json.GetProperty("vrs").EnumerateArray().Select(v => v.GetString()).Where(v => DicomVR.TryParse(v, out _)).ToArray();
            Assert.Equal(vrs, entry.VRs.Select(v => v.Code).ToArray());
        }
    }
}
