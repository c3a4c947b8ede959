using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Azure;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>Parses the XML bodies of List Blobs, Get Blob Tags and Find Blobs by Tags, and writes Set Blob Tags and Put Block List bodies.</summary>
internal static class BlobXml
{
    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    public static XDocument Load(Stream stream)
    {
        using var reader = XmlReader.Create(stream, ReaderSettings);
        return XDocument.Load(reader);
    }

    public static BlobPage ParseListPage(Stream stream)
    {
        var root = Load(stream).Root ?? throw new FormatException("List Blobs returned an empty document.");
        var items = new List<BlobItem>();
        var blobs = root.Element("Blobs");
        if (blobs is not null)
        {
            foreach (var element in blobs.Elements())
            {
                if (element.Name.LocalName == "BlobPrefix")
                {
                    items.Add(new BlobItem { Name = (string?)element.Element("Name") ?? string.Empty, IsPrefix = true });
                }
                else if (element.Name.LocalName == "Blob")
                {
                    items.Add(ParseBlob(element));
                }
            }
        }

        var next = (string?)root.Element("NextMarker");
        return new BlobPage(items, string.IsNullOrEmpty(next) ? null : next);
    }

    public static (IReadOnlyList<TaggedBlobItem> Items, string? NextMarker) ParseFindByTags(Stream stream)
    {
        var root = Load(stream).Root ?? throw new FormatException("Find Blobs by Tags returned an empty document.");
        var items = new List<TaggedBlobItem>();
        foreach (var blob in root.Element("Blobs")?.Elements("Blob") ?? [])
        {
            items.Add(new TaggedBlobItem((string?)blob.Element("ContainerName") ?? string.Empty, (string?)blob.Element("Name") ?? string.Empty, ParseTagSet(blob.Element("Tags"))));
        }

        var next = (string?)root.Element("NextMarker");
        return (items, string.IsNullOrEmpty(next) ? null : next);
    }

    public static IReadOnlyDictionary<string, string> ParseTags(Stream stream) => ParseTagSet(Load(stream).Root);

    public static string TagsBody(IReadOnlyDictionary<string, string> tags) =>
        new XDocument(new XElement("Tags", new XElement("TagSet", tags.Select(t => new XElement("Tag", new XElement("Key", t.Key), new XElement("Value", t.Value)))))).ToString(SaveOptions.DisableFormatting);

    public static string BlockListBody(IEnumerable<string> blockIds) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + new XElement("BlockList", blockIds.Select(id => new XElement("Latest", id))).ToString(SaveOptions.DisableFormatting);

    private static BlobItem ParseBlob(XElement blob)
    {
        var properties = blob.Element("Properties");
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in blob.Element("Metadata")?.Elements() ?? [])
        {
            metadata[m.Name.LocalName] = m.Value;
        }

        var etag = (string?)properties?.Element("Etag");
        return new BlobItem
        {
            Name = (string?)blob.Element("Name") ?? string.Empty,
            Snapshot = NullIfEmpty((string?)blob.Element("Snapshot")),
            VersionId = NullIfEmpty((string?)blob.Element("VersionId")),
            ContentLength = long.TryParse((string?)properties?.Element("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var len) ? len : 0,
            ContentType = NullIfEmpty((string?)properties?.Element("Content-Type")),
            ETag = etag is null ? null : new ETag(etag.StartsWith('"') ? etag : "\"" + etag + "\""), // headers quote ETags, list XML does not
            LastModified = DateTimeOffset.TryParse((string?)properties?.Element("Last-Modified"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var lm) ? lm : null,
            BlobType = BlobResponseParser.ParseBlobType((string?)properties?.Element("BlobType")),
            LeaseState = NullIfEmpty((string?)properties?.Element("LeaseState")),
            Metadata = metadata,
            Tags = ParseTagSet(blob.Element("Tags")),
        };
    }

    private static Dictionary<string, string> ParseTagSet(XElement? tagsElement)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tagsElement?.Element("TagSet")?.Elements("Tag") ?? [])
        {
            tags[(string?)tag.Element("Key") ?? string.Empty] = (string?)tag.Element("Value") ?? string.Empty;
        }

        return tags;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
