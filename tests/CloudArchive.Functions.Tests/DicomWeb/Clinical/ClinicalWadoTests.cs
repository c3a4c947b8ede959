using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Identity;
using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb.Clinical;

/// <summary>WADO-RS over the originals: instances as stored, metadata with BulkDataURIs, bulk data, frames by ranged reads, 404/406/410.</summary>
[Collection(ClinicalDicomWebCollection.Name)]
public sealed class ClinicalWadoTests(ClinicalDicomWebFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string InstancePath(string study, string series, string sop) => $"api/dicomweb/studies/{study}/series/{series}/instances/{sop}";

    [Fact]
    public async Task An_instance_comes_back_byte_identical_to_the_upload_as_one_application_dicom_part()
    {
        var oid = Guid.NewGuid().ToString("D");
        using var client = fixture.Client(oid, "TREAT", ArchiveRoles.ArchiveRead);
        using var request = new HttpRequestMessage(HttpMethod.Get, InstancePath(fixture.StudyA, fixture.SeriesA2, fixture.InstanceA2));
        request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/dicom", MultipartParts.TypeParameter(response));
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var part = Assert.Single(await MultipartParts.ReadAsync(response));
        Assert.StartsWith("application/dicom", part.ContentType);
        Assert.Equal(fixture.Uploaded[fixture.InstanceA2], part.Body);

        var line = Assert.Single(await fixture.AuditOfAsync(oid)).Event;
        Assert.Equal(AuditEventType.InstancesAccessed, line.EventType);
        Assert.Equal(AuditOutcome.Success, line.Outcome);
        Assert.Equal("TREAT", line.PurposeOfUse);
        Assert.Equal(await fixture.KeyAsync(fixture.StudyA), line.Study!.Value.Value);
        Assert.Equal(await fixture.KeyAsync(fixture.InstanceA2), line.Instance!.Value.Value);
        Assert.Contains("retrieve-instance", line.Details);
    }

    [Fact]
    public async Task A_study_and_a_series_stream_every_instance_as_stored()
    {
        using var client = fixture.Clinician();
        using var study = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, study.StatusCode);
        var parts = await MultipartParts.ReadAsync(study);
        Assert.Equal(3, parts.Count);
        var expected = new[] { fixture.InstancesA1[0], fixture.InstancesA1[1], fixture.InstanceA2 }.Select(u => Convert.ToHexString(fixture.Uploaded[u])).Order().ToList();
        Assert.Equal(expected, parts.Select(p => Convert.ToHexString(p.Body)).Order().ToList());

        using var series = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}/series/{fixture.SeriesA1}", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(2, (await MultipartParts.ReadAsync(series)).Count);
    }

    [Fact]
    public async Task Unknown_targets_are_404_and_a_shredded_study_is_410_for_retrieve_metadata_and_search()
    {
        var oid = Guid.NewGuid().ToString("D");
        using var client = fixture.Client(oid, "TREAT", ArchiveRoles.ArchiveRead);
        using var unknown = await client.GetAsync("api/dicomweb/studies/2.25.1234567", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var otherSeries = await client.GetAsync($"api/dicomweb/studies/{fixture.StudyA}/series/2.25.99", Ct);
        Assert.Equal(HttpStatusCode.NotFound, otherSeries.StatusCode);
        foreach (var path in new[]
        {
            $"api/dicomweb/studies/{fixture.StudyShredded}",
            $"api/dicomweb/studies/{fixture.StudyShredded}/metadata",
            InstancePath(fixture.StudyShredded, fixture.SeriesShredded, fixture.InstanceShredded) + "/frames/1",
            $"api/dicomweb/studies/{fixture.StudyShredded}/series",
        })
        {
            using var gone = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        }

        var lines = await fixture.AuditOfAsync(oid);
        Assert.Equal(6, lines.Count);
        Assert.Equal(4, lines.Count(l => l.Event.Details.Contains("study-shredded")));
        Assert.All(lines, l => Assert.Equal(AuditOutcome.MinorFailure, l.Event.Outcome));
    }

    [Fact]
    public async Task Accept_that_no_stored_form_fits_is_406()
    {
        using var client = fixture.Clinician();
        using var instance = new HttpRequestMessage(HttpMethod.Get, InstancePath(fixture.StudyA, fixture.SeriesA2, fixture.InstanceA2));
        instance.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50");
        using var refused = await client.SendAsync(instance, Ct);
        Assert.Equal(HttpStatusCode.NotAcceptable, refused.StatusCode);

        using var frames = new HttpRequestMessage(HttpMethod.Get, InstancePath(fixture.StudyB, fixture.SeriesJpeg, fixture.InstanceJpeg) + "/frames/1");
        frames.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/octet-stream\"");
        using var framesRefused = await client.SendAsync(frames, Ct);
        Assert.Equal(HttpStatusCode.NotAcceptable, framesRefused.StatusCode);

        using var metadata = new HttpRequestMessage(HttpMethod.Get, $"api/dicomweb/studies/{fixture.StudyA}/metadata");
        metadata.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom"));
        using var metadataRefused = await client.SendAsync(metadata, Ct);
        Assert.Equal(HttpStatusCode.NotAcceptable, metadataRefused.StatusCode);
    }

    [Fact]
    public async Task Metadata_is_dicom_json_with_bulk_data_uris_that_serve_the_stored_pixel_data()
    {
        using var client = fixture.Clinician();
        using var response = await client.GetAsync(InstancePath(fixture.StudyB, fixture.SeriesNative, fixture.InstanceNative) + "/metadata", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType!.MediaType);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsArray();
        var dataset = Assert.Single(json)!.AsObject();
        Assert.Equal(fixture.InstanceNative, dataset["00080018"]!["Value"]![0]!.GetValue<string>());
        Assert.Equal("CLINICAL^TEST^" + ClinicalDicomWebFixture.PatientB, dataset["00100010"]!["Value"]![0]!["Alphabetic"]!.GetValue<string>());
        var uri = dataset["7FE00010"]!["BulkDataURI"]!.GetValue<string>();
        Assert.Null(dataset["7FE00010"]!["InlineBinary"]);

        using var bulk = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        var part = Assert.Single(await MultipartParts.ReadAsync(bulk));
        Assert.Equal("application/octet-stream", part.ContentType);
        Assert.Equal(await PixelDataAsync(fixture.InstanceNative), part.Body);
    }

    [Fact]
    public async Task Native_frames_are_the_matching_slices_of_the_pixel_data()
    {
        using var client = fixture.Clinician();
        using var response = await client.GetAsync(InstancePath(fixture.StudyB, fixture.SeriesNative, fixture.InstanceNative) + "/frames/3,1", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", MultipartParts.TypeParameter(response));
        var parts = await MultipartParts.ReadAsync(response);
        var pixels = await PixelDataAsync(fixture.InstanceNative);
        var frame = pixels.Length / 10;
        Assert.Equal(pixels.AsSpan(2 * frame, frame).ToArray(), parts[0].Body);
        Assert.Equal(pixels.AsSpan(0, frame).ToArray(), parts[1].Body);

        using var outOfRange = await client.GetAsync(InstancePath(fixture.StudyB, fixture.SeriesNative, fixture.InstanceNative) + "/frames/11", Ct);
        Assert.Equal(HttpStatusCode.NotFound, outOfRange.StatusCode);
    }

    [Fact]
    public async Task Encapsulated_frames_are_the_stored_fragments_in_their_own_media_type()
    {
        using var client = fixture.Clinician();
        using var response = await client.GetAsync(InstancePath(fixture.StudyB, fixture.SeriesJpeg, fixture.InstanceJpeg) + "/frames/5,30", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", MultipartParts.TypeParameter(response));
        var parts = await MultipartParts.ReadAsync(response);
        await using var file = await DicomReader.ReadAsync(new MemoryStream(fixture.Uploaded[fixture.InstanceJpeg]), cancellationToken: Ct);
        var fragments = ((DicomFragmentSequence)file.Dataset[DicomTags.PixelData]).Fragments;
        Assert.Equal(Bytes(fragments[4]), parts[0].Body);
        Assert.Equal(Bytes(fragments[29]), parts[1].Body);
        Assert.StartsWith("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", parts[0].ContentType);
    }

    [Fact]
    public async Task A_frame_of_a_multi_region_instance_is_read_by_range_not_whole()
    {
        using var client = fixture.Clinician();
        var wholeBefore = fixture.Counting.WholeReads;
        var rangeBefore = fixture.Counting.RangeBytes;
        using var response = await client.GetAsync(InstancePath(fixture.StudyB, fixture.SeriesLarge, fixture.InstanceLarge) + "/frames/37", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var part = Assert.Single(await MultipartParts.ReadAsync(response));
        const int frameLength = ClinicalDicomWebFixture.LargeRows * ClinicalDicomWebFixture.LargeColumns * 2;
        Assert.Equal(frameLength, part.Body.Length);
        var pixelStart = fixture.Uploaded[fixture.InstanceLarge].Length - ((long)frameLength * ClinicalDicomWebFixture.LargeFrames);
        var expected = fixture.Uploaded[fixture.InstanceLarge].AsSpan((int)(pixelStart + (36L * frameLength)), frameLength).ToArray();
        Assert.Equal(expected, part.Body);

        // The header region and the (at most two) regions holding the frame; never the 20 MiB instance.
        Assert.Equal(wholeBefore, fixture.Counting.WholeReads);
        Assert.InRange(fixture.Counting.RangeBytes - rangeBefore, frameLength, 3L * ((4 << 20) + 28));
    }

    private async Task<byte[]> PixelDataAsync(string sop)
    {
        await using var file = await DicomReader.ReadAsync(new MemoryStream(fixture.Uploaded[sop]), cancellationToken: Ct);
        return ((DicomValueElement)file.Dataset[DicomTags.PixelData]).GetBytes().ToArray();
    }

    private static byte[] Bytes(DicomFragment fragment)
    {
        using var s = fragment.OpenRead();
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }
}
