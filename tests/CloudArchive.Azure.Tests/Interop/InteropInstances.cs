using System.Globalization;
using System.Numerics;
using CloudArchive.Dicom;
using CloudArchive.Testing;

namespace CloudArchive.Azure.Tests.Interop;

/// <summary>The DICOM uploads the interoperability tests ingest: one of a single encryption region, one of several.</summary>
internal static class InteropInstances
{
    /// <summary>Pixel bytes of <see cref="SeveralRegionsAsync"/>: 18 frames of 512×512×16 bit, 9 MiB, so three 4 MiB regions.</summary>
    public const long SeveralRegionsPixelBytes = 18L * 512 * 512 * 2;

    private static readonly DicomTag StudyUid = new(0x0020, 0x000D);
    private static readonly DicomTag SeriesUid = new(0x0020, 0x000E);
    private static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);

    /// <summary>
    /// <c>testdata/dicom/CT_small.dcm</c> as it is: nothing in it is removed by the shipped minimization policy, so the
    /// archive holds exactly these bytes.
    /// </summary>
    public static byte[] OneRegion() => File.ReadAllBytes(Path.Combine(RepositoryPaths.FindRoot(), "testdata", "dicom", "CT_small.dcm"));

    /// <summary>A generated multi-frame secondary capture of just over 9 MiB (the benchmarks' generator, at test size).</summary>
    public static async Task<byte[]> SeveralRegionsAsync(CancellationToken cancellationToken)
    {
        var ds = GeneratedMultiFrame.Create(512, 512, 18, SeveralRegionsPixelBytes);
        var study = NewUid();
        ds.SetString(StudyUid, study);
        ds.SetString(SeriesUid, study + ".1");
        ds.SetString(DicomTags.SOPInstanceUID, NewUid());
        ds.SetString(StudyDate, "20240115");
        ds.SetString(PatientId, "INTEROP1");
        await using var file = new DicomFile(ds, TransferSyntax.ExplicitVRLittleEndian);
        var output = new MemoryStream();
        await file.WriteAsync(output, cancellationToken: cancellationToken);
        return output.ToArray();
    }

    private static string NewUid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(CultureInfo.InvariantCulture);
}
