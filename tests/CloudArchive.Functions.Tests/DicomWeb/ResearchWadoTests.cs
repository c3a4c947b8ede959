using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CloudArchive.Azure.Research;
using CloudArchive.Core.Audit;
using CloudArchive.Functions.Tests.Research;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Publication;
using Xunit;
using static CloudArchive.Functions.Tests.DicomWeb.ResearchDicomWebClient;

namespace CloudArchive.Functions.Tests.DicomWeb;

/// <summary>WADO-RS on the research service root: instances, metadata, bulk data and frames, checked against the stored bytes and pydicom.</summary>
[Collection(ResearchApiCollection.Name)]
public sealed class ResearchWadoTests(ResearchApiFixture fixture)
{
    /// <summary>An agreement of its own whose copies are multi-frame (the shared one's layout is asserted by other tests).</summary>
    private const string Frames = "frames-study";

    // The multi-frame agreement has its own recipient group, so the shared fixture's recipient still sees exactly the
    // agreements the other classes' listing tests expect, whichever class runs first.
    private const string FramesGroup = "4b7d2e91-6a3c-4f58-b0e2-7c9d1a5f3e60";
    private static readonly SemaphoreSlim Seeding = new(1, 1);
    private static bool _seeded;
    private static readonly string R = Root(ResearchApiFixture.Agreement);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewId() => Guid.NewGuid().ToString("D");

    [Fact]
    public async Task An_instance_comes_as_one_application_dicom_part_byte_identical_to_the_copy_and_is_audited()
    {
        var me = NewId();
        using var response = await GetAsync(fixture, R + "/studies/2.25.1001/series/2.25.2001/instances/2.25.3001", me, AnyDicom);
        var part = Assert.Single(await PartsAsync(response));

        Assert.Equal(await File.ReadAllBytesAsync(ResearchApiFixture.SamplePath("MR_small.dcm"), Ct), part.Body);
        Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", part.Headers["content-type"]);
        Assert.EndsWith(R + "/studies/2.25.1001/series/2.25.2001/instances/2.25.3001", part.Headers["content-location"], StringComparison.Ordinal);
        Assert.Equal("application/dicom", Param(response.Content.Headers.ContentType!, "type"));
        var line = Assert.Single(await fixture.AuditOfAsync(me)).Event;
        Assert.Equal(AuditEventType.InstancesAccessed, line.EventType);
        Assert.Equal(["wado-retrieve", "instances=1"], line.Details);
        Assert.Equal(new FileInfo(ResearchApiFixture.SamplePath("MR_small.dcm")).Length, line.Bytes);
    }

    [Fact]
    public async Task A_study_streams_every_instance_as_a_part_and_pydicom_reads_each_part()
    {
        using var response = await GetAsync(fixture, R + "/studies/2.25.1003", NewId(), AnyDicom);
        var parts = await PartsAsync(response);
        var layout = ResearchApiFixture.Layout["2.25.1003"]["2.25.2004"];
        Assert.Equal(layout.Count, parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            Assert.Equal(await File.ReadAllBytesAsync(ResearchApiFixture.SamplePath(layout[i].File), Ct), parts[i].Body);
        }

        var directory = Directory.CreateTempSubdirectory("wado-parts-").FullName;
        try
        {
            for (var i = 0; i < parts.Count; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(directory, i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + ".dcm"), parts[i].Body, Ct);
            }

            if (!File.Exists("/usr/bin/python3"))
            {
                Assert.Skip("pydicom (/usr/bin/python3) is not installed.");
            }

            var (code, stdout, stderr) = await ExternalTool.RunAsync("/usr/bin/python3",
                ["-c", "import pydicom,sys,glob\nfor f in sorted(glob.glob(sys.argv[1]+'/*.dcm')): print(pydicom.dcmread(f).SOPClassUID)", directory], Ct);
            Assert.True(code == 0, stderr);
            Assert.Equal(parts.Count, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("/studies/2.25.1003", "multipart/related; type=\"application/dicom\"", HttpStatusCode.NotAcceptable)]
    [InlineData("/studies/2.25.1003", "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1", HttpStatusCode.NotAcceptable)]
    [InlineData("/studies/2.25.1002", "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.91", HttpStatusCode.OK)]
    [InlineData("/studies/2.25.1002", "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.90", HttpStatusCode.NotAcceptable)]
    [InlineData("/studies/2.25.1001/series/2.25.2002", "multipart/related; type=\"application/dicom\"", HttpStatusCode.OK)]
    [InlineData("/studies/2.25.1001/series/2.25.2002", "*/*", HttpStatusCode.OK)]
    [InlineData("/studies/2.25.1001/series/2.25.2002", "application/zip", HttpStatusCode.NotAcceptable)]
    [InlineData("/studies/2.25.9999", AnyDicom, HttpStatusCode.NotFound)]
    public async Task Retrieval_is_sent_in_the_stored_syntax_only(string path, string accept, HttpStatusCode expected)
    {
        using var response = await GetAsync(fixture, R + path, NewId(), accept);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Metadata_is_dicom_json_with_bulk_data_uris_that_serve_the_value()
    {
        await SeedAsync();
        var root = Root(Frames);
        using var response = await GetAsync(fixture, root + "/studies/2.25.5001/series/2.25.5101/instances/2.25.5201/metadata", NewId(), "application/dicom+json", FramesGroup);
        var instance = Assert.Single((await JsonAsync(response)).EnumerateArray());
        Assert.Equal(["MR"], Values(instance, "00080060"));
        var uri = instance.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString()!;
        Assert.EndsWith("/instances/2.25.5201/bulkdata/7FE00010", uri, StringComparison.Ordinal);

        using var bulk = await GetAsync(fixture, new Uri(uri).PathAndQuery, NewId(), "multipart/related; type=\"application/octet-stream\"", FramesGroup);
        var part = Assert.Single(await PartsAsync(bulk));
        var oracle = await OracleFramesAsync("emri_small.dcm");
        Assert.Equal(oracle.Aggregate(string.Empty, (a, b) => a + b).Length, oracle.Count * 64);
        using var sha = SHA256.Create();
        var frameSize = part.Body.Length / 10;
        Assert.Equal(oracle, Enumerable.Range(0, 10).Select(i => Convert.ToHexStringLower(SHA256.HashData(part.Body.AsSpan(i * frameSize, frameSize)))));

        using var studyMetadata = await GetAsync(fixture, root + "/studies/2.25.5001/metadata", NewId(), null, FramesGroup);
        Assert.Equal(4, (await JsonAsync(studyMetadata)).GetArrayLength());
    }

    [Theory]
    [InlineData("2.25.5201", "emri_small.dcm", "1,3,10", "multipart/related; type=\"application/octet-stream\"")]
    [InlineData("2.25.5204", "MR_small_bigendian.dcm", "1", "application/octet-stream")]
    [InlineData("2.25.5202", "examples_ybr_color.dcm", "2,30", "multipart/related; type=\"image/jpeg\"")]
    [InlineData("2.25.5202", "examples_ybr_color.dcm", "5", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*")]
    [InlineData("2.25.5203", "JPEG2000.dcm", "1", "multipart/related; type=\"image/jp2\"")]
    public async Task Frames_match_pydicoms_split_for_native_and_encapsulated_pixel_data(string instance, string file, string frames, string accept)
    {
        await SeedAsync();
        using var response = await GetAsync(fixture, Root(Frames) + $"/studies/2.25.5001/series/2.25.5101/instances/{instance}/frames/{frames}", NewId(), accept, FramesGroup);
        var bodies = response.Content.Headers.ContentType!.MediaType == "multipart/related"
            ? (await PartsAsync(response)).Select(p => p.Body).ToList()
            : [await response.Content.ReadAsByteArrayAsync(Ct)];
        var oracle = await OracleFramesAsync(file);
        Assert.Equal(frames.Split(',').Select(n => oracle[int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) - 1]), bodies.Select(b => Convert.ToHexStringLower(SHA256.HashData(b))));
    }

    [Theory]
    [InlineData("2.25.5202", "5", "multipart/related; type=\"application/octet-stream\"", HttpStatusCode.NotAcceptable)]
    [InlineData("2.25.5202", "5", "application/octet-stream", HttpStatusCode.NotAcceptable)]
    [InlineData("2.25.5201", "11", "multipart/related; type=\"application/octet-stream\"", HttpStatusCode.NotFound)]
    [InlineData("2.25.5201", "1,2", "application/octet-stream", HttpStatusCode.NotAcceptable)]
    [InlineData("2.25.5201", "0", "*/*", HttpStatusCode.BadRequest)]
    public async Task Frames_that_cannot_be_sent_as_asked_are_refused(string instance, string frames, string accept, HttpStatusCode expected)
    {
        await SeedAsync();
        using var response = await GetAsync(fixture, Root(Frames) + $"/studies/2.25.5001/series/2.25.5101/instances/{instance}/frames/{frames}", NewId(), accept, FramesGroup);
        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task<List<string>> OracleFramesAsync(string file)
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            Assert.Skip("pydicom (/usr/bin/python3) is not installed.");
        }

        var (code, stdout, stderr) = await ExternalTool.RunAsync("/usr/bin/python3",
            [Path.Combine(RepositoryPaths.FindRoot(), "tools", "oracles", "pydicom_frames.py"), ResearchApiFixture.SamplePath(file)], Ct);
        Assert.True(code == 0, stderr);
        return JsonSerializer.Deserialize<List<string>>(stdout)!;
    }

    private async Task SeedAsync()
    {
        await Seeding.WaitAsync(Ct);
        try
        {
            if (_seeded)
            {
                return;
            }

            var agreements = new BlobAgreementStore(fixture.Connection.Blobs.GetBlobContainerClient(fixture.ControlContainer));
            await agreements.TryCreateAsync(new DataSharingAgreement
            {
                Id = Frames,
                Title = "Multi-frame copies",
                PurposeOfUse = "HRESCH",
                Recipients = [FramesGroup],
                ValidFrom = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                ValidUntil = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
                CopyRetention = "P2Y",
                CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
                CreatedBy = "privacy-officer@example.org",
                ConsentRequired = false,
            }, Ct);
            var files = new[] { ("2.25.5201", "emri_small.dcm"), ("2.25.5202", "examples_ybr_color.dcm"), ("2.25.5203", "JPEG2000.dcm"), ("2.25.5204", "MR_small_bigendian.dcm") };
            foreach (var (instance, file) in files)
            {
                await using var content = File.OpenRead(ResearchApiFixture.SamplePath(file));
                await fixture.ResearchStore.PutAsync(ResearchNames.Instance(Frames, "2.25.5001", "2.25.5101", instance), content, "application/dicom", null, Ct);
            }

            _seeded = true;
        }
        finally
        {
            Seeding.Release();
        }
    }
}
