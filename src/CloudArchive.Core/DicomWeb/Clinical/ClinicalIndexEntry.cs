using CloudArchive.Core.Ingest;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>One archived instance as the clinical index knows it: its decrypted index record.</summary>
/// <param name="Record">The decrypted index record.</param>
public sealed record ClinicalIndexEntry(InstanceIndexRecord Record)
{
    /// <summary>The record's indexed attributes as a dataset (for matching and for the QIDO response).</summary>
    public Dicom.DicomDataset ToDataset()
    {
        var dataset = IndexedAttributes.ToDataset(Record.Attributes);
        dataset.SetString(new Dicom.DicomTag(0x0002, 0x0010), Record.TransferSyntaxUid);
        return dataset;
    }
}
