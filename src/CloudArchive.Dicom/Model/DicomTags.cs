namespace CloudArchive.Dicom;

/// <summary>Tags the codec itself needs by name. Everything else is looked up in <see cref="DicomDictionary"/>.</summary>
public static class DicomTags
{
    /// <summary>(0002,0000) File Meta Information Group Length.</summary>
    public static readonly DicomTag FileMetaInformationGroupLength = new(0x0002, 0x0000);

    /// <summary>(0002,0001) File Meta Information Version.</summary>
    public static readonly DicomTag FileMetaInformationVersion = new(0x0002, 0x0001);

    /// <summary>(0002,0002) Media Storage SOP Class UID.</summary>
    public static readonly DicomTag MediaStorageSopClassUid = new(0x0002, 0x0002);

    /// <summary>(0002,0003) Media Storage SOP Instance UID.</summary>
    public static readonly DicomTag MediaStorageSopInstanceUid = new(0x0002, 0x0003);

    /// <summary>(0002,0010) Transfer Syntax UID.</summary>
    public static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);

    /// <summary>(0002,0012) Implementation Class UID.</summary>
    public static readonly DicomTag ImplementationClassUid = new(0x0002, 0x0012);

    /// <summary>(0002,0013) Implementation Version Name.</summary>
    public static readonly DicomTag ImplementationVersionName = new(0x0002, 0x0013);

    /// <summary>(0008,0005) Specific Character Set.</summary>
    public static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    /// <summary>(0008,0016) SOP Class UID.</summary>
    public static readonly DicomTag SopClassUid = new(0x0008, 0x0016);

    /// <summary>(0008,0018) SOP Instance UID.</summary>
    public static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);

    /// <summary>(0028,0100) Bits Allocated.</summary>
    public static readonly DicomTag BitsAllocated = new(0x0028, 0x0100);

    /// <summary>(0028,0103) Pixel Representation.</summary>
    public static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);

    /// <summary>(7FE0,0010) Pixel Data.</summary>
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    /// <summary>(FFFE,E000) Item.</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);

    /// <summary>(FFFE,E00D) Item Delimitation Item.</summary>
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);

    /// <summary>(FFFE,E0DD) Sequence Delimitation Item.</summary>
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);
}
