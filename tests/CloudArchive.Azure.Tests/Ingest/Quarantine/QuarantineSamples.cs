using CloudArchive.Dicom;
using CloudArchive.Testing;

namespace CloudArchive.Azure.Tests.Ingest.Quarantine;

/// <summary>Real DICOM inputs for the quarantine tests: CT_small with fresh UIDs, and the held-out meta-mismatch files.</summary>
internal static class QuarantineSamples
{
    private static readonly DicomTag StudyUid = new(0x0020, 0x000D);
    private static readonly DicomTag SeriesUid = new(0x0020, 0x000E);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);

    /// <summary>A fresh study UID.</summary>
    public static string NewStudyUid() => "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true);

    /// <summary>CT_small re-identified as <paramref name="sopUid"/> in <paramref name="studyUid"/>, for patient <paramref name="patientId"/>.</summary>
    public static async Task<byte[]> InstanceAsync(string studyUid, string sopUid, string patientId = "PLANTEDID0001")
    {
        await using var file = await DicomFile.OpenAsync(Path.Combine(RepositoryPaths.FindRoot(), "testdata", "dicom", "CT_small.dcm"), cancellationToken: QuarantineArchive.Ct);
        var ds = file.Dataset;
        ds.SetString(StudyUid, studyUid);
        ds.SetString(SeriesUid, studyUid + ".1");
        ds.SetString(DicomTags.SOPInstanceUID, sopUid);
        ds.SetString(PatientId, patientId);
        var output = new MemoryStream();
        await file.WriteAsync(output, cancellationToken: QuarantineArchive.Ct);
        return output.ToArray();
    }

    /// <summary>A held-out file of <c>testdata/heldout</c> (README there: origin, licence, what disagrees).</summary>
    public static byte[] HeldOut(string name) => File.ReadAllBytes(Path.Combine(RepositoryPaths.FindRoot(), "testdata", "heldout", name));
}
