using System.Globalization;

namespace CloudArchive.Dicom;

/// <summary>
/// A DICOM attribute tag (group, element). Ordering is by the 32-bit value <c>(group &lt;&lt; 16) | element</c>,
/// which is the order the standard requires inside a dataset.
/// </summary>
public readonly struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>
{
    /// <summary>Creates a tag from its group and element numbers.</summary>
    public DicomTag(ushort group, ushort element)
    {
        Group = group;
        Element = element;
    }

    /// <summary>Creates a tag from its 32-bit value <c>GGGGEEEE</c>.</summary>
    public DicomTag(uint value)
    {
        Group = (ushort)(value >> 16);
        Element = (ushort)value;
    }

    /// <summary>The group number.</summary>
    public ushort Group { get; }

    /// <summary>The element number.</summary>
    public ushort Element { get; }

    /// <summary>The 32-bit value <c>GGGGEEEE</c>.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>True for tags in an odd group above 0008 (private data elements and private creators).
    /// The odd groups 0001, 0003, 0005, 0007 and FFFF are illegal and are not counted as private.</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0008 && Group != 0xFFFF;

    /// <summary>True for a private creator element (gggg,0010)-(gggg,00FF) in a private group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>True for a private data element (gggg,1000)-(gggg,FFFF) that belongs to a private creator block.</summary>
    public bool IsPrivateData => IsPrivate && Element >= 0x1000;

    /// <summary>
    /// For a private data element (gggg,xxyy), the private creator tag (gggg,00xx) that reserves its block;
    /// null for any other tag.
    /// </summary>
    public DicomTag? PrivateCreatorTag => IsPrivateData ? new DicomTag(Group, (ushort)(Element >> 8)) : null;

    /// <summary>True for a group length element (gggg,0000).</summary>
    public bool IsGroupLength => Element == 0;

    /// <summary>True for the item, item delimitation and sequence delimitation tags in group FFFE.</summary>
    public bool IsItemOrDelimiter => Group == 0xFFFE;

    /// <summary>Parses <c>(gggg,eeee)</c>, <c>gggg,eeee</c> or <c>ggggeeee</c> (hexadecimal, case-insensitive).</summary>
    /// <exception cref="FormatException">The text is not a tag.</exception>
    public static DicomTag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var tag) ? tag : throw new FormatException("Not a DICOM tag: expected (gggg,eeee) or ggggeeee in hexadecimal.");
    }

    /// <summary>Tries to parse <c>(gggg,eeee)</c>, <c>gggg,eeee</c> or <c>ggggeeee</c>.</summary>
    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (text is null)
        {
            return false;
        }

        var s = text.Trim();
        if (s.StartsWith('(') && s.EndsWith(')'))
        {
            s = s[1..^1];
        }

        s = s.Replace(",", string.Empty, StringComparison.Ordinal);
        if (s.Length != 8 || !uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        tag = new DicomTag(v);
        return true;
    }

    /// <summary>The tag as <c>(gggg,eeee)</c> in upper-case hexadecimal.</summary>
    public override string ToString() => string.Create(11, Value, static (span, v) =>
    {
        // Called for every element of every de-identified instance (report paths): no format-string parsing.
        const string Hex = "0123456789ABCDEF";
        span[0] = '(';
        span[5] = ',';
        span[10] = ')';
        for (var i = 0; i < 4; i++)
        {
            span[4 - i] = Hex[(int)((v >> (16 + (4 * i))) & 0xF)];
            span[9 - i] = Hex[(int)((v >> (4 * i)) & 0xF)];
        }
    });

    /// <inheritdoc />
    public bool Equals(DicomTag other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DicomTag t && Equals(t);

    /// <inheritdoc />
    public override int GetHashCode() => (int)Value;

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Equality.</summary>
    public static bool operator ==(DicomTag left, DicomTag right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DicomTag left, DicomTag right) => !left.Equals(right);

    /// <summary>Tag order.</summary>
    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    /// <summary>Tag order.</summary>
    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    /// <summary>Tag order.</summary>
    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    /// <summary>Tag order.</summary>
    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;
}
