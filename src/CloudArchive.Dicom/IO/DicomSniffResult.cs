namespace CloudArchive.Dicom;

/// <summary>What <see cref="DicomSniffer.Classify"/> saw.</summary>
public enum DicomSniffResult
{
    /// <summary>No bytes.</summary>
    Empty,

    /// <summary>Neither a Part 10 header nor a plausible first element.</summary>
    NotDicom,

    /// <summary>A data set without the Part 10 preamble and <c>DICM</c> (PS3.10 requires them in a file).</summary>
    BareDataset,

    /// <summary>The 128-byte preamble and <c>DICM</c> (PS3.10 §7.1).</summary>
    Part10,
}
