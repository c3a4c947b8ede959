using System.Globalization;
using System.Numerics;
using CloudArchive.Dicom;
using CloudArchive.Testing;

namespace CloudArchive.Benchmarks.Ingest;

/// <summary>Generates the benchmark's instances with the DICOM writer.</summary>
internal static class BenchInstances
{
    private const long MiB = 1024 * 1024;

    private static readonly DicomTag StudyUid = new(0x0020, 0x000D);
    private static readonly DicomTag SeriesUid = new(0x0020, 0x000E);
    private static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);

    /// <summary>A fresh UID under the 2.25 (UUID) root.</summary>
    public static string NewUid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="count"/> copies of <c>testdata/dicom/CT_small.dcm</c> as one study (one series), each with a new
    /// SOP Instance UID; everything else, pixel data included, unchanged. About 39 KB each, so they are kept in memory.
    /// </summary>
    /// <param name="count">Instances.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <param name="patientId">When given, replaces the sample's Patient ID (0010,0020).</param>
    /// <param name="studyDate">When given (<c>yyyyMMdd</c>), replaces the sample's Study Date (0008,0020).</param>
    public static async Task<List<byte[]>> StudyAsync(int count, CancellationToken cancellationToken, string? patientId = null, string? studyDate = null)
    {
        var sample = Path.Combine(RepositoryPaths.FindRoot(), "testdata", "dicom", "CT_small.dcm");
        var studyUid = NewUid();
        var seriesUid = NewUid();
        var result = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var file = await DicomFile.OpenAsync(sample, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (file.ConfigureAwait(false))
            {
                var sop = NewUid();
                file.Dataset.SetString(StudyUid, studyUid);
                file.Dataset.SetString(SeriesUid, seriesUid);
                file.Dataset.SetString(DicomTags.SOPInstanceUID, sop);
                if (patientId is not null)
                {
                    file.Dataset.SetString(PatientId, patientId);
                }

                if (studyDate is not null)
                {
                    file.Dataset.SetString(StudyDate, studyDate);
                }

                var output = new MemoryStream();
                await file.WriteAsync(output, cancellationToken: cancellationToken).ConfigureAwait(false);
                result.Add(output.ToArray());
            }
        }

        return result;
    }

    /// <summary>
    /// Writes a multi-frame 512×512 16-bit secondary-capture instance of about <paramref name="sizeMiB"/> MiB (native
    /// pixel data generated as a stream, never held whole) to <paramref name="path"/>; returns the file length.
    /// </summary>
    public static async Task<long> LargeAsync(string path, long sizeMiB, CancellationToken cancellationToken)
    {
        const int rows = 512, columns = 512;
        var frameBytes = (long)rows * columns * 2;
        var frames = sizeMiB * MiB / frameBytes;
        var pixelLength = frames * frameBytes;
        var studyUid = NewUid();
        var ds = GeneratedMultiFrame.Create(rows, columns, frames, pixelLength);
        ds.SetString(DicomTags.SOPInstanceUID, NewUid());
        ds.SetString(StudyUid, studyUid);
        ds.SetString(SeriesUid, studyUid + ".1");
        ds.SetString(StudyDate, "20240115");
        ds.SetString(new DicomTag(0x0010, 0x0010), "BENCH^ONE GIB");
        ds.SetString(PatientId, "BENCH1GIB");
        ds.SetString(new DicomTag(0x0010, 0x0030), "19700101");
        using var file = new DicomFile(ds, TransferSyntax.ExplicitVRLittleEndian);
        await file.SaveAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new FileInfo(path).Length;
    }
}
