using System.Globalization;
using System.Text;

namespace CloudArchive.Dicom;

/// <summary>
/// Where an element sits in a dataset: the sequence items leading to it and its own tag, e.g.
/// <c>00540016/0/00181072</c> (sequence tag, item index, ..., element tag). The text form uses only hex digits,
/// decimal digits and slashes, so it can be a URI path segment list (BulkDataURI) and is parsed back strictly.
/// </summary>
public sealed class DicomElementPath : IEquatable<DicomElementPath>
{
    private readonly (DicomTag Sequence, int Item)[] _parents;

    /// <summary>Creates a path.</summary>
    /// <param name="parents">The enclosing sequences with the item index inside each, outermost first.</param>
    /// <param name="tag">The element's own tag.</param>
    public DicomElementPath(IEnumerable<(DicomTag Sequence, int Item)> parents, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(parents);
        _parents = parents.ToArray();
        if (_parents.Any(p => p.Item < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(parents), "Item indexes are zero or more.");
        }

        Tag = tag;
    }

    /// <summary>The enclosing sequences with the item index inside each, outermost first.</summary>
    public IReadOnlyList<(DicomTag Sequence, int Item)> Parents => _parents;

    /// <summary>The element's own tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>A top-level element's path.</summary>
    public static DicomElementPath TopLevel(DicomTag tag) => new([], tag);

    /// <summary>This path extended into item <paramref name="item"/> of this element (a sequence) to <paramref name="tag"/>.</summary>
    public DicomElementPath Child(int item, DicomTag tag) => new(_parents.Append((Tag, item)), tag);

    /// <summary>Finds the element this path names, or null when the dataset has none there.</summary>
    public DicomElement? Resolve(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var current = dataset;
        foreach (var (sequence, item) in _parents)
        {
            if (current.Get(sequence) is not DicomSequence sq || item >= sq.Items.Count)
            {
                return null;
            }

            current = sq.Items[item];
        }

        return current.Get(Tag);
    }

    /// <summary>Parses the text form; false for anything else (no exception for client input).</summary>
    public static bool TryParse(string? text, out DicomElementPath? path)
    {
        path = null;
        if (string.IsNullOrEmpty(text) || text.Length > 512)
        {
            return false;
        }

        var parts = text.Split('/');
        if (parts.Length % 2 == 0)
        {
            return false;
        }

        var parents = new List<(DicomTag, int)>();
        for (var i = 0; i + 1 < parts.Length; i += 2)
        {
            if (!TryParseTag(parts[i], out var sq) || !TryParseItem(parts[i + 1], out var item))
            {
                return false;
            }

            parents.Add((sq, item));
        }

        if (!TryParseTag(parts[^1], out var tag))
        {
            return false;
        }

        path = new DicomElementPath(parents, tag);
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (sequence, item) in _parents)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{sequence.Value:X8}/{item}/");
        }

        return sb.Append(CultureInfo.InvariantCulture, $"{Tag.Value:X8}").ToString();
    }

    /// <inheritdoc />
    public bool Equals(DicomElementPath? other) => other is not null && ToString() == other.ToString();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DicomElementPath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    private static bool TryParseTag(string s, out DicomTag tag)
    {
        tag = default;
        if (s.Length != 8 || !s.All(char.IsAsciiHexDigit) || !uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        tag = new DicomTag(v);
        return true;
    }

    private static bool TryParseItem(string s, out int item)
    {
        item = 0;
        return s.Length is > 0 and <= 6 && s.All(char.IsAsciiDigit) && (s.Length == 1 || s[0] != '0')
            && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out item);
    }
}
