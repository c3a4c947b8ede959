using CloudArchive.Core.Ingest;
using Xunit;

namespace CloudArchive.Core.Tests.Ingest;

/// <summary>Reading back the import line's details the ingest writes.</summary>
public sealed class ImportAuditDetailsTests
{
    [Fact]
    public void Each_import_line_shape_reads_back_as_its_outcome_with_reason_and_reference()
    {
        var reference = UploadReference.New();

        Assert.Equal(ImportAuditOutcome.Archived, ImportAuditDetails.Outcome([ImportAuditDetails.Archived, "unchanged", "retention-rule=r", UploadReference.Detail(reference)]));
        Assert.Equal(ImportAuditOutcome.Archived, ImportAuditDetails.Outcome([ImportAuditDetails.Resumed, "minimized"]));
        Assert.Equal(ImportAuditOutcome.Duplicate, ImportAuditDetails.Outcome([ImportAuditDetails.Duplicate]));
        string[] quarantined = [ImportAuditDetails.Quarantined, ImportAuditDetails.ReasonPrefix + "dicom-format", UploadReference.Detail(reference)];
        Assert.Equal(ImportAuditOutcome.Quarantined, ImportAuditDetails.Outcome(quarantined));
        Assert.Equal("dicom-format", ImportAuditDetails.Reason(quarantined));
        Assert.Equal(reference, ImportAuditDetails.UploadReferenceOf(quarantined));
        Assert.Null(ImportAuditDetails.Reason([ImportAuditDetails.Duplicate]));
        Assert.Null(ImportAuditDetails.UploadReferenceOf([ImportAuditDetails.Duplicate]));
    }
}
