namespace CloudArchive.Dicom;

/// <summary>
/// A Value Representation (PS3.5 section 6.2) with the encoding facts the codec needs. Instances are singletons:
/// compare with <c>==</c> or by <see cref="Code"/>.
/// </summary>
public sealed class DicomVR
{
    private static readonly Dictionary<ushort, DicomVR> ByCode = new();

    private DicomVR(string code, VRKind kind, int unitSize, bool longHeader, uint maxLength, bool multiValued)
    {
        Code = code;
        Kind = kind;
        UnitSize = unitSize;
        HasLongExplicitHeader = longHeader;
        MaxLength = maxLength;
        IsMultiValuedString = multiValued;
        ByCode[(ushort)((code[0] << 8) | code[1])] = this;
    }

    private enum VRKind
    {
        Text,
        CharsetText,
        Uid,
        Binary,
        Sequence,
    }

#pragma warning disable CS1591 // The two-letter VR codes are documented by PS3.5 Table 6.2-1.
    public static readonly DicomVR AE = new("AE", VRKind.Text, 1, false, 16, true);
    public static readonly DicomVR AS = new("AS", VRKind.Text, 1, false, 4, true);
    public static readonly DicomVR AT = new("AT", VRKind.Binary, 2, false, 4, false);
    public static readonly DicomVR CS = new("CS", VRKind.Text, 1, false, 16, true);
    public static readonly DicomVR DA = new("DA", VRKind.Text, 1, false, 18, true);
    public static readonly DicomVR DS = new("DS", VRKind.Text, 1, false, 16, true);
    public static readonly DicomVR DT = new("DT", VRKind.Text, 1, false, 54, true);
    public static readonly DicomVR FD = new("FD", VRKind.Binary, 8, false, 8, false);
    public static readonly DicomVR FL = new("FL", VRKind.Binary, 4, false, 4, false);
    public static readonly DicomVR IS = new("IS", VRKind.Text, 1, false, 12, true);
    public static readonly DicomVR LO = new("LO", VRKind.CharsetText, 1, false, 64, true);
    public static readonly DicomVR LT = new("LT", VRKind.CharsetText, 1, false, 10240, false);
    public static readonly DicomVR OB = new("OB", VRKind.Binary, 1, true, 0xFFFFFFFE, false);
    public static readonly DicomVR OD = new("OD", VRKind.Binary, 8, true, 0xFFFFFFF8, false);
    public static readonly DicomVR OF = new("OF", VRKind.Binary, 4, true, 0xFFFFFFFC, false);
    public static readonly DicomVR OL = new("OL", VRKind.Binary, 4, true, 0xFFFFFFFC, false);
    public static readonly DicomVR OV = new("OV", VRKind.Binary, 8, true, 0xFFFFFFF8, false);
    public static readonly DicomVR OW = new("OW", VRKind.Binary, 2, true, 0xFFFFFFFE, false);
    public static readonly DicomVR PN = new("PN", VRKind.CharsetText, 1, false, 64 * 3 + 2, true);
    public static readonly DicomVR SH = new("SH", VRKind.CharsetText, 1, false, 16, true);
    public static readonly DicomVR SL = new("SL", VRKind.Binary, 4, false, 4, false);
    public static readonly DicomVR SQ = new("SQ", VRKind.Sequence, 1, true, 0xFFFFFFFE, false);
    public static readonly DicomVR SS = new("SS", VRKind.Binary, 2, false, 2, false);
    public static readonly DicomVR ST = new("ST", VRKind.CharsetText, 1, false, 1024, false);
    public static readonly DicomVR SV = new("SV", VRKind.Binary, 8, true, 8, false);
    public static readonly DicomVR TM = new("TM", VRKind.Text, 1, false, 28, true);
    public static readonly DicomVR UC = new("UC", VRKind.CharsetText, 1, true, 0xFFFFFFFE, true);
    public static readonly DicomVR UI = new("UI", VRKind.Uid, 1, false, 64, true);
    public static readonly DicomVR UL = new("UL", VRKind.Binary, 4, false, 4, false);
    public static readonly DicomVR UN = new("UN", VRKind.Binary, 1, true, 0xFFFFFFFE, false);
    public static readonly DicomVR UR = new("UR", VRKind.Text, 1, true, 0xFFFFFFFE, false);
    public static readonly DicomVR US = new("US", VRKind.Binary, 2, false, 2, false);
    public static readonly DicomVR UT = new("UT", VRKind.CharsetText, 1, true, 0xFFFFFFFE, false);
    public static readonly DicomVR UV = new("UV", VRKind.Binary, 8, true, 8, false);
#pragma warning restore CS1591

    /// <summary>The two-letter code, e.g. <c>"PN"</c>.</summary>
    public string Code { get; }

    private VRKind Kind { get; }

    /// <summary>
    /// Size in bytes of one binary unit that is byte-swapped between little and big endian (2 for US/SS/OW/AT,
    /// 4 for UL/SL/FL/OF/OL, 8 for FD/OD/SV/UV/OV); 1 for strings, OB, UN and SQ (never swapped).
    /// </summary>
    public int UnitSize { get; }

    /// <summary>
    /// True when explicit VR encoding uses 2 reserved bytes and a 32-bit length (OB, OD, OF, OL, OV, OW, SQ, SV, UC,
    /// UN, UR, UT, UV); false for the 16-bit length layout.
    /// </summary>
    public bool HasLongExplicitHeader { get; }

    /// <summary>
    /// The maximum value length in bytes for one value (strings: per PS3.5 Table 6.2-1, as bytes of the default
    /// repertoire; binary single values: the value size; long VRs: the 32-bit limit). Informative; the reader does
    /// not reject over-long values.
    /// </summary>
    public uint MaxLength { get; }

    /// <summary>True for string VRs (AE, AS, CS, DA, DS, DT, IS, LO, LT, PN, SH, ST, TM, UC, UI, UR, UT).</summary>
    public bool IsString => Kind is VRKind.Text or VRKind.CharsetText or VRKind.Uid;

    /// <summary>True for string VRs whose bytes depend on Specific Character Set (LO, LT, PN, SH, ST, UC, UT).</summary>
    public bool IsCharacterSetDependent => Kind == VRKind.CharsetText;

    /// <summary>True for string VRs whose value may hold several values separated by a backslash.</summary>
    public bool IsMultiValuedString { get; }

    /// <summary>True for binary VRs (AT, FD, FL, OB, OD, OF, OL, OV, OW, SL, SS, SV, UL, UN, US, UV).</summary>
    public bool IsBinary => Kind == VRKind.Binary;

    /// <summary>True for SQ.</summary>
    public bool IsSequence => Kind == VRKind.Sequence;

    /// <summary>
    /// True for the "other" binary VRs and UN (OB, OD, OF, OL, OV, OW, UN) that typically carry bulk data such as
    /// pixel data, waveforms and overlays. The reader streams any non-SQ value above the bulk threshold; this flag is
    /// what a JSON encoder uses to choose BulkDataURI/InlineBinary.
    /// </summary>
    public bool IsBulkCapable => Kind == VRKind.Binary && HasLongExplicitHeader && this != SV && this != UV;

    /// <summary>The byte that pads a value to even length: NUL for UI and binary VRs, space for the other strings.</summary>
    public byte PaddingByte => Kind is VRKind.Text or VRKind.CharsetText ? (byte)' ' : (byte)0;

    /// <summary>Every VR defined by PS3.5.</summary>
    public static IReadOnlyCollection<DicomVR> All => ByCode.Values;

    /// <summary>Looks up a VR from its two ASCII bytes as stored in explicit VR encoding.</summary>
    public static bool TryParse(byte first, byte second, out DicomVR vr)
    {
        if (ByCode.TryGetValue((ushort)((first << 8) | second), out var found))
        {
            vr = found;
            return true;
        }

        vr = UN;
        return false;
    }

    /// <summary>Looks up a VR from its two-letter code.</summary>
    public static bool TryParse(string? code, out DicomVR vr)
    {
        if (code is { Length: 2 } && code[0] < 128 && code[1] < 128)
        {
            return TryParse((byte)code[0], (byte)code[1], out vr);
        }

        vr = UN;
        return false;
    }

    /// <summary>Looks up a VR from its two-letter code.</summary>
    /// <exception cref="ArgumentException">Not a VR defined by PS3.5.</exception>
    public static DicomVR Parse(string code) =>
        TryParse(code, out var vr) ? vr : throw new ArgumentException("Not a DICOM value representation.", nameof(code));

    /// <summary>The two-letter code.</summary>
    public override string ToString() => Code;
}
