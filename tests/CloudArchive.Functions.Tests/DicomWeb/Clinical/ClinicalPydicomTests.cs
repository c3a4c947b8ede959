using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb.Clinical;

/// <summary>pydicom, an independent reader, parses every part of a clinical WADO-RS study response (split with Python's own MIME parser).</summary>
[Collection(ClinicalDicomWebCollection.Name)]
public sealed class ClinicalPydicomTests(ClinicalDicomWebFixture fixture) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ca-clinical-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Pydicom_reads_every_part_of_a_study_response_with_the_archived_uids()
    {
        var probe = await ExternalTool.RunAsync("/usr/bin/python3", ["-c", "import pydicom"], Ct);
        Assert.SkipUnless(probe.ExitCode == 0, "pydicom is not installed (/usr/bin/python3 -m pip install pydicom)");
        Directory.CreateDirectory(_dir);
        using var client = fixture.Clinician();
        using var response = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyB}/series/{fixture.SeriesJpeg}", HttpCompletionOption.ResponseHeadersRead, Ct);
        response.EnsureSuccessStatusCode();
        var body = Path.Combine(_dir, "body.bin");
        await File.WriteAllBytesAsync(body, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
        var script = """
            import email, io, sys, pydicom
            body = open(sys.argv[1], 'rb').read()
            message = email.message_from_bytes(b'Content-Type: ' + sys.argv[2].encode() + b'\r\n\r\n' + body)
            assert message.is_multipart(), 'not multipart'
            for part in message.get_payload():
                ds = pydicom.dcmread(io.BytesIO(part.get_payload(decode=True)))
                print(part.get_content_type(), ds.SOPInstanceUID, ds.StudyInstanceUID, ds.file_meta.TransferSyntaxUID, int(ds.NumberOfFrames))
            """;
        var result = await ExternalTool.RunAsync("/usr/bin/python3", ["-c", script, body, response.Content.Headers.ContentType!.ToString()], Ct);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var line = Assert.Single(result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"application/dicom {fixture.InstanceJpeg} {fixture.StudyB} 1.2.840.10008.1.2.4.50 30", line.Trim());
    }
}
