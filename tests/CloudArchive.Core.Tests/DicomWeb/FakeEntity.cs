using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Tests.DicomWeb;

/// <summary>An in-memory attribute source: keyword → values.</summary>
internal sealed class FakeEntity(Dictionary<string, string[]> values) : IQidoAttributeSource
{
    public IEnumerable<QidoAttribute> Attributes =>
        values.Keys.Select(k => QidoAttributes.ForTag(DicomDictionary.Lookup(k)!.Tag, QidoLevel.Instance));

    public IReadOnlyList<string>? GetValues(QidoAttribute attribute)
    {
        var key = (attribute.Sequence is { } sq ? DicomDictionary.GetKeyword(sq) + "." : "") + DicomDictionary.GetKeyword(attribute.Tag);
        return values.TryGetValue(key, out var v) ? v : null;
    }
}
