namespace CloudArchive.Dicom;

// The parser's VR of an implicit-VR element: from the dictionary, and from the dataset where the dictionary allows several.
internal sealed partial class DicomParser
{
    private static DicomVR ResolveImplicitVR(DicomTag tag, DicomDataset ds, uint length)
    {
        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }

        if (tag.IsPrivateCreator)
        {
            return DicomVR.LO;
        }

        if (tag.IsPrivate)
        {
            return DicomVR.UN;
        }

        var entry = DicomDictionary.Lookup(tag);
        if (entry is null || entry.VRs.Count == 0)
        {
            return DicomVR.UN;
        }

        if (entry.VRs.Count == 1)
        {
            return entry.VRs[0];
        }

        var vrs = entry.VRs;
        if (vrs.Contains(DicomVR.OB) && vrs.Contains(DicomVR.OW))
        {
            if (length == UndefinedLength)
            {
                return DicomVR.OB;
            }

            // PS3.5 A.2: 8-bit Pixel Data is OB in explicit VR; everything else OW (A.1: implicit VR is OW).
            return tag == DicomTags.PixelData && FindUInt16(ds, DicomTags.BitsAllocated) is <= 8 ? DicomVR.OB : DicomVR.OW;
        }

        if (vrs.Contains(DicomVR.OW) && length != UndefinedLength && length > 0xFFFE)
        {
            return DicomVR.OW;
        }

        if (vrs.Contains(DicomVR.SS))
        {
            return FindUInt16(ds, DicomTags.PixelRepresentation) == 1 ? DicomVR.SS : DicomVR.US;
        }

        return vrs[0];
    }

    private static ushort? FindUInt16(DicomDataset? ds, DicomTag tag)
    {
        while (ds is not null)
        {
            if (ds.Get(tag) is DicomValueElement { Length: >= 2 and <= 64 } v)
            {
                return v.GetValues<ushort>()[0];
            }

            ds = ds.ParentSequence?.Parent;
        }

        return null;
    }
}
