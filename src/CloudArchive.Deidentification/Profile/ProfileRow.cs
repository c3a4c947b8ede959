using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// One row of PS3.15 Table E.1-1 as loaded from <c>confidentiality_profile.json</c>: the attribute (an exact tag, a
/// masked repeating-group tag, or the private-attributes row), its Basic Profile action code and the non-empty option
/// columns.
/// </summary>
public sealed class ProfileRow
{
    internal ProfileRow(
        string rawTag,
        string name,
        string? keyword,
        string? vr,
        uint? mask,
        uint? maskedValue,
        bool isPrivateAttributesRow,
        string basicCode,
        IReadOnlyDictionary<DeidOption, string> optionCodes)
    {
        RawTag = rawTag;
        Name = name;
        Keyword = keyword;
        VR = vr;
        Mask = mask;
        MaskedValue = maskedValue;
        IsPrivateAttributesRow = isPrivateAttributesRow;
        BasicCode = basicCode;
        OptionCodes = optionCodes;
    }

    /// <summary>The tag as printed in the table, e.g. <c>(0010,0010)</c> or <c>(60XX,3000)</c>.</summary>
    public string RawTag { get; }

    /// <summary>The attribute name.</summary>
    public string Name { get; }

    /// <summary>The keyword, when the dictionary has one.</summary>
    public string? Keyword { get; }

    /// <summary>The VR from the dictionary (e.g. <c>PN</c>, <c>OB or OW</c>), when known.</summary>
    public string? VR { get; }

    /// <summary>The mask for repeating-group rows (<c>(tag &amp; Mask) == MaskedValue</c>); <see cref="uint.MaxValue"/> for exact rows.</summary>
    public uint? Mask { get; }

    /// <summary>The masked value (the exact tag value for exact rows); null for the private-attributes row.</summary>
    public uint? MaskedValue { get; }

    /// <summary>True for the row "(gggg,eeee) where gggg is odd".</summary>
    public bool IsPrivateAttributesRow { get; }

    /// <summary>The Basic Profile action code as printed (e.g. <c>X/Z/D</c>).</summary>
    public string BasicCode { get; }

    /// <summary>The option columns that are non-empty for this row.</summary>
    public IReadOnlyDictionary<DeidOption, string> OptionCodes { get; }

    /// <summary>True when the row names a repeating group (50xx, 60xx).</summary>
    public bool IsRepeating => Mask is { } m && m != uint.MaxValue;

    /// <summary>True when <paramref name="tag"/> is addressed by this row.</summary>
    public bool Matches(DicomTag tag)
    {
        if (IsPrivateAttributesRow)
        {
            return tag.IsPrivate;
        }

        return (tag.Value & Mask!.Value) == MaskedValue!.Value;
    }

    /// <summary>A concrete example tag for this row (the masked value with X digits as 0 for repeating groups).</summary>
    public DicomTag ExampleTag => IsPrivateAttributesRow ? new DicomTag(0x0009, 0x1010) : new DicomTag(MaskedValue!.Value);

    /// <inheritdoc />
    public override string ToString() => $"{RawTag} {Name} [{BasicCode}]";
}
