namespace CloudArchive.Dicom;

/// <summary>
/// A binary value the DICOM JSON writer is about to write (OB, OD, OF, OL, OV, OW, UN or encapsulated Pixel Data):
/// what <see cref="DicomJsonWriterOptions.BulkDataUri"/> is asked about.
/// </summary>
/// <param name="Path">Where the element sits.</param>
/// <param name="Element">The element (a <see cref="DicomValueElement"/> or a <see cref="DicomFragmentSequence"/>).</param>
/// <param name="Length">The value length in bytes (for a fragment sequence, the fragments' bytes).</param>
public sealed record DicomJsonBulkValue(DicomElementPath Path, DicomElement Element, long Length);
