using System.Net;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using CloudArchive.Testing.Orthanc;
using Xunit;
using static CloudArchive.Functions.Tests.DicomWeb.Stow.StowRequests;

namespace CloudArchive.Functions.Tests.DicomWeb.Stow;

/// <summary>
/// Orthanc's DICOMweb plugin as a real STOW-RS client (chunked multipart/related, Accept: application/dicom+json),
/// configured with our service root and a development token: what it sends is archived through the ingest pipeline and
/// decrypts to the bytes Orthanc holds. Skipped when Orthanc is not installed.
/// </summary>
public sealed class StowRsOrthancTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public StowRsOrthancTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orthanc_stores_a_study_into_the_archive_by_stow_rs_and_the_bytes_round_trip()
    {
        Assert.SkipUnless(OrthancProcess.IsInstalled, "Orthanc with its DICOMweb plugin is not installed");
        await using var app = await IngestApp.StartAsync(_azurite);
        var server = new OrthancDicomWebServer(new Uri(app.Address, "api/dicomweb/"), new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token(app, NewCaller()) });
        await using var orthanc = await OrthancProcess.StartAsync(new Dictionary<string, OrthancDicomWebServer> { ["ca"] = server }, Ct);
        var study = SampleInstances.NewUid();
        var files = new[] { ("CT_small.dcm", SampleInstances.NewUid()), ("MR_small.dcm", SampleInstances.NewUid()), ("JPEG2000.dcm", SampleInstances.NewUid()) };
        var ids = new List<string>();
        var originals = new List<byte[]>();
        foreach (var (sample, sop) in files)
        {
            var path = Path.Combine(Path.GetTempPath(), "stow-orthanc-" + Guid.NewGuid().ToString("N") + ".dcm");
            var bytes = await SampleInstances.CopyAsync(sample, study, sop, 9, withAddress: false);
            originals.Add(bytes);
            await File.WriteAllBytesAsync(path, bytes, Ct);
            try
            {
                ids.Add(await orthanc.UploadAsync(path, Ct));
            }
            finally
            {
                File.Delete(path);
            }
        }

        var (status, body) = await orthanc.StowAsync("ca", ids, Ct);

        Assert.True(status == HttpStatusCode.OK, $"Orthanc answered {(int)status}: {body}\n{app.Logs.Text}");
        var inspector = new ArchiveInspector(app);
        var archived = await inspector.ArchivedInstancesAsync();
        Assert.Equal(ids.Count, archived.Count);
        var plain = new List<byte[]>();
        foreach (var (blob, _) in archived.Values)
        {
            plain.Add(await inspector.DecryptAsync(blob));
        }

        // CT_small and MR_small have nothing the minimization policy removes: they decrypt to exactly what Orthanc holds.
        // JPEG2000.dcm carries Other Patient Names, which the policy removes: the archive holds the minimized rewrite.
        for (var i = 0; i < 2; i++)
        {
            var held = await orthanc.GetInstanceFileAsync(ids[i], Ct);
            Assert.Equal(originals[i], held);
            Assert.Contains(plain, p => p.AsSpan().SequenceEqual(held));
        }

        var imports = (await inspector.AuditLinesAsync()).Where(l => l.Record.Event.EventType == CloudArchive.Core.Audit.AuditEventType.Import).ToList();
        Assert.Equal(3, imports.Count);
        Assert.Single(imports, l => l.Record.Event.Details.Contains("minimized"));
        Assert.Empty(await app.ListAsync(app.Incoming));
        Assert.Empty(await app.ListAsync(app.Quarantine));
    }
}
