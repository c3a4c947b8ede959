using System.Numerics;
using CloudArchive.Dicom;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>Copies of the sample files with new UIDs and planted identifying values, written with the DICOM writer.</summary>
internal static class SampleInstances
{
    /// <summary>Every planted value starts with this, so one scan finds any leak.</summary>
    public const string Planted = "PLANTED";

    public static readonly DicomTag PatientName = new(0x0010, 0x0010);
    public static readonly DicomTag PatientId = new(0x0010, 0x0020);
    public static readonly DicomTag PatientAddress = new(0x0010, 0x1040);
    public static readonly DicomTag PatientTelephoneNumbers = new(0x0010, 0x2154);
    public static readonly DicomTag StudyUid = new(0x0020, 0x000D);
    public static readonly DicomTag SeriesUid = new(0x0020, 0x000E);

    /// <summary>The 8 malformed samples of testdata/dicom/MANIFEST.md ("Malformed" coverage line).</summary>
    public static readonly string[] BrokenSamples =
    [
        "MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm", "meta_missing_tsyntax.dcm", "badVR.dcm",
        "bad_sequence.dcm", "emri_small_jpeg_2k_lossless_too_short.dcm", "gdcm_00191113.dcm",
    ];

    public static string SamplePath(string name) => Path.Combine(RepositoryPaths.FindRoot(), "testdata", "dicom", name);

    /// <summary>A fresh UID under the 2.25 (UUID) root.</summary>
    public static string NewUid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A copy of <paramref name="sample"/> as instance <paramref name="sopUid"/> of the given study, with planted values.</summary>
    public static async Task<byte[]> CopyAsync(string sample, string studyUid, string sopUid, int patient, bool withAddress, string nameSuffix = "")
    {
        await using var file = await DicomFile.OpenAsync(SamplePath(sample), cancellationToken: Xunit.TestContext.Current.CancellationToken);
        var ds = file.Dataset;
        ds.SetString(StudyUid, studyUid);
        ds.SetString(SeriesUid, studyUid + ".1");
        ds.SetString(DicomTags.SOPInstanceUID, sopUid);
        ds.SetString(PatientName, $"{Planted}NAME^ZEBRA{patient}{nameSuffix}");
        ds.SetString(PatientId, $"{Planted}ID{patient}");
        ds.Remove(PatientAddress);
        ds.Remove(PatientTelephoneNumbers);
        if (withAddress)
        {
            ds.SetString(PatientAddress, $"{Planted}STREET {patient}");
            ds.SetString(PatientTelephoneNumbers, $"{Planted}PHONE{patient}");
        }

        var output = new MemoryStream();
        await file.WriteAsync(output, cancellationToken: Xunit.TestContext.Current.CancellationToken);
        return output.ToArray();
    }
}
