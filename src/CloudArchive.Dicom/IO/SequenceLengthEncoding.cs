namespace CloudArchive.Dicom;

/// <summary>How the writer encodes the lengths of sequences and items.</summary>
public enum SequenceLengthEncoding
{
    /// <summary>As each sequence/item was read (<see cref="DicomSequence.UndefinedLength"/>, <see cref="DicomDataset.UndefinedLength"/>).</summary>
    AsRead,

    /// <summary>Explicit lengths everywhere (computed for the target transfer syntax).</summary>
    Defined,

    /// <summary>Undefined lengths with delimitation items everywhere.</summary>
    Undefined,
}
