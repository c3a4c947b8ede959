using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CloudArchive.Dicom;

/// <summary>
/// A Transfer Syntax (PS3.5 section 10) with its encoding flags, from the embedded <c>transfer_syntaxes.json</c>
/// (PS3.6 Table A-1). A UID that is not in the table is treated as explicit VR little endian with encapsulated
/// pixel data, which is what every transfer syntax defined since 2003 uses; its <see cref="IsKnown"/> is false.
/// </summary>
public sealed class TransferSyntax : IEquatable<TransferSyntax>
{
    private static readonly Lazy<Dictionary<string, TransferSyntax>> Table = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private TransferSyntax(string uid, string name, string keyword, bool known, bool retired, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated, bool referenced)
    {
        Uid = uid;
        Name = name;
        Keyword = keyword;
        IsKnown = known;
        IsRetired = retired;
        IsExplicitVR = explicitVR;
        IsBigEndian = bigEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsReferencedPixelData = referenced;
    }

    /// <summary>1.2.840.10008.1.2 Implicit VR Little Endian.</summary>
    public static TransferSyntax ImplicitVRLittleEndian => Lookup("1.2.840.10008.1.2");

    /// <summary>1.2.840.10008.1.2.1 Explicit VR Little Endian.</summary>
    public static TransferSyntax ExplicitVRLittleEndian => Lookup("1.2.840.10008.1.2.1");

    /// <summary>1.2.840.10008.1.2.2 Explicit VR Big Endian (retired, still found in the wild).</summary>
    public static TransferSyntax ExplicitVRBigEndian => Lookup("1.2.840.10008.1.2.2");

    /// <summary>1.2.840.10008.1.2.1.99 Deflated Explicit VR Little Endian.</summary>
    public static TransferSyntax DeflatedExplicitVRLittleEndian => Lookup("1.2.840.10008.1.2.1.99");

    /// <summary>Every transfer syntax in the embedded table.</summary>
    public static IReadOnlyCollection<TransferSyntax> All => Table.Value.Values;

    /// <summary>The UID.</summary>
    public string Uid { get; }

    /// <summary>The PS3.6 name (the UID itself for an unknown UID).</summary>
    public string Name { get; }

    /// <summary>The PS3.6 keyword (empty for an unknown UID).</summary>
    public string Keyword { get; }

    /// <summary>False when the UID is not in PS3.6 Table A-1 (flags are then the encapsulated explicit LE default).</summary>
    public bool IsKnown { get; }

    /// <summary>True when PS3.6 marks the transfer syntax retired.</summary>
    public bool IsRetired { get; }

    /// <summary>True for explicit VR encoding.</summary>
    public bool IsExplicitVR { get; }

    /// <summary>True for big endian (only 1.2.840.10008.1.2.2).</summary>
    public bool IsBigEndian { get; }

    /// <summary>True when the dataset after the file meta group is a raw deflate stream (.1.2.1.99, .4.95, .4.205).</summary>
    public bool IsDeflated { get; }

    /// <summary>True when Pixel Data is encapsulated (offset table + fragments).</summary>
    public bool IsEncapsulated { get; }

    /// <summary>True for JPIP referenced pixel data (Pixel Data absent, pixel data provider URL instead).</summary>
    public bool IsReferencedPixelData { get; }

    /// <summary>True for the transfer syntaxes whose pixel data is native (neither encapsulated nor referenced).</summary>
    public bool IsNative => !IsEncapsulated && !IsReferencedPixelData;

    /// <summary>Returns the transfer syntax for a UID (trailing NUL/space padding removed); never null.</summary>
    public static TransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var clean = uid.Trim('\0', ' ');
        return Table.Value.TryGetValue(clean, out var ts)
            ? ts
            : new TransferSyntax(clean, clean, string.Empty, false, false, true, false, false, true, false);
    }

    /// <inheritdoc />
    public bool Equals(TransferSyntax? other) => other is not null && other.Uid == Uid;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TransferSyntax);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Uid);

    /// <summary>The UID and name.</summary>
    public override string ToString() => IsKnown ? $"{Uid} ({Name})" : Uid;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Dictionary<string, TransferSyntax> Load()
    {
        using var stream = typeof(TransferSyntax).Assembly.GetManifestResourceStream("CloudArchive.Dicom.transfer_syntaxes.json")
            ?? throw new InvalidOperationException("The embedded transfer syntax resource is missing from the assembly.");
        using var doc = JsonDocument.Parse(stream);
        var result = new Dictionary<string, TransferSyntax>(StringComparer.Ordinal);
        foreach (var e in doc.RootElement.GetProperty("transferSyntaxes").EnumerateArray())
        {
            var uid = e.GetProperty("uid").GetString()!;
            var pixel = e.GetProperty("pixelData").GetString();
            result[uid] = new TransferSyntax(
                uid,
                e.GetProperty("name").GetString() ?? uid,
                e.GetProperty("keyword").GetString() ?? string.Empty,
                true,
                e.GetProperty("retired").GetBoolean(),
                e.GetProperty("explicitVR").GetBoolean(),
                e.GetProperty("byteOrder").GetString() == "big",
                e.GetProperty("datasetDeflated").GetBoolean(),
                pixel == "encapsulated",
                pixel == "referenced");
        }

        return result;
    }
}
