using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Stow;
using CloudArchive.Core.Ingest;
using CloudArchive.Functions.Tests.EndToEnd;
using CloudArchive.Testing.Azurite;
using Xunit;
using static CloudArchive.Functions.Tests.DicomWeb.Stow.StowRequests;

namespace CloudArchive.Functions.Tests.DicomWeb.Stow;

/// <summary>
/// STOW-RS over real HTTP against the app in the local host (real composition, Azurite, the real ingest pipeline):
/// what is stored, what each status code path answers, and that nothing is left behind or overwritten.
/// </summary>
public sealed class StowRsEndToEndTests : IClassFixture<AzuriteFixture>
{
    private const string SopClassTag = "00081150";
    private const string SopInstanceTag = "00081155";
    private const string RetrieveUrlTag = "00081190";
    private const string FailedSequence = "00081198";
    private const string ReferencedSequence = "00081199";
    private const string FailureReasonTag = "00081197";
    private const string WarningReasonTag = "00081196";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    private readonly AzuriteFixture _azurite;

    public StowRsEndToEndTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_chunked_study_is_archived_answered_200_with_retrieve_urls_and_decrypts_to_the_sent_bytes()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var study = SampleInstances.NewUid();
        var (a, b) = (SampleInstances.NewUid(), SampleInstances.NewUid());
        var first = await SampleInstances.CopyAsync("CT_small.dcm", study, a, 1, withAddress: false);
        var second = await SampleInstances.CopyAsync("MR_small.dcm", study, b, 1, withAddress: false);

        using var response = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(first, second), Token(app, NewCaller())), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(body)!;
        Assert.Empty(Items(json, FailedSequence));
        var referenced = Items(json, ReferencedSequence);
        Assert.Equal([a, b], referenced.Select(i => Text(i, SopInstanceTag)));
        Assert.Equal(new Uri(app.Address, $"api/dicomweb/studies/{study}/series/{study}.1/instances/{a}").ToString(), Text(referenced[0], RetrieveUrlTag));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", Text(referenced[0], SopClassTag));
        Assert.Null(referenced[0][WarningReasonTag]);
        Assert.Equal(new Uri(app.Address, $"api/dicomweb/studies/{study}").ToString(), json[RetrieveUrlTag]?["Value"]?[0]?.GetValue<string>());

        var inspector = new ArchiveInspector(app);
        var archived = await inspector.ArchivedInstancesAsync();
        Assert.Equal(2, archived.Count);
        var plain = new List<byte[]>();
        foreach (var (blob, _) in archived.Values)
        {
            plain.Add(await inspector.DecryptAsync(blob));
        }

        Assert.Contains(plain, p => p.AsSpan().SequenceEqual(first));
        Assert.Contains(plain, p => p.AsSpan().SequenceEqual(second));
        Assert.Empty(await app.ListAsync(app.Incoming));
        Assert.Empty(await app.ListAsync(app.Quarantine));
    }

    [Fact]
    public async Task Every_part_is_audited_with_the_caller_and_tied_to_its_import_line_and_no_uid_is_logged()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var caller = NewCaller();
        var study = SampleInstances.NewUid();
        var sop = SampleInstances.NewUid();
        var instance = await SampleInstances.CopyAsync("CT_small.dcm", study, sop, 2, withAddress: false);

        using var response = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(instance), Token(app, caller)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = await new ArchiveInspector(app).AuditLinesAsync();
        var transfer = Assert.Single(lines, l => l.Record.Event.EventType == AuditEventType.InstancesTransferred);
        Assert.Equal(caller, transfer.Record.Event.Actor.Id);
        Assert.Equal(AuditOutcome.Success, transfer.Record.Event.Outcome);
        var reference = Assert.Single(transfer.Record.Event.Details, d => d.StartsWith(UploadReference.DetailPrefix, StringComparison.Ordinal));
        var import = Assert.Single(lines, l => l.Record.Event.EventType == AuditEventType.Import);
        Assert.Contains(reference, import.Record.Event.Details);
        Assert.Equal(import.Record.Event.Instance, transfer.Record.Event.Instance);
        Assert.DoesNotContain(study, app.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(sop, app.Logs.Text, StringComparison.Ordinal);
        Assert.All(lines, l => Assert.DoesNotContain(sop, l.Line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_identical_re_store_is_a_success_with_the_already_stored_warning_and_overwrites_nothing()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var instance = await SampleInstances.CopyAsync("CT_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 3, withAddress: false);
        using (var first = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(instance), Token(app, NewCaller())), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var archived = Assert.Single(await app.ListAsync(app.Archive, "studies/"));

        using var again = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(instance), Token(app, NewCaller())), Ct);

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var item = Assert.Single(Items(JsonNode.Parse(await again.Content.ReadAsStringAsync(Ct))!, ReferencedSequence));
        Assert.Equal(StowStatusCodes.AlreadyStored, Number(item, WarningReasonTag));
        var after = Assert.Single(await app.ListAsync(app.Archive, "studies/"));
        Assert.Equal(archived.Properties.ETag, after.Properties.ETag);
        Assert.Empty(await app.ListAsync(app.Incoming));
    }

    [Fact]
    public async Task A_conflicting_re_store_fails_with_0x0111_and_409_and_the_archived_instance_is_unchanged()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var (study, sop) = (SampleInstances.NewUid(), SampleInstances.NewUid());
        var original = await SampleInstances.CopyAsync("CT_small.dcm", study, sop, 4, withAddress: false);
        var different = await SampleInstances.CopyAsync("CT_small.dcm", study, sop, 4, withAddress: false, nameSuffix: "X");
        using (var first = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(original), Token(app, NewCaller())), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var conflict = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(different), Token(app, NewCaller())), Ct);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var item = Assert.Single(Items(JsonNode.Parse(await conflict.Content.ReadAsStringAsync(Ct))!, FailedSequence));
        Assert.Equal(StowStatusCodes.DuplicateSopInstance, Number(item, FailureReasonTag));
        Assert.Equal(sop, Text(item, SopInstanceTag));
        var inspector = new ArchiveInspector(app);
        var (blob, _) = Assert.Single((await inspector.ArchivedInstancesAsync()).Values);
        Assert.Equal(original, await inspector.DecryptAsync(blob));
        Assert.Empty(await app.ListAsync(app.Incoming));
    }

    [Fact]
    public async Task A_mixed_request_answers_202_with_the_unreadable_part_failed_0xC000_and_quarantined()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var good = await SampleInstances.CopyAsync("MR_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 5, withAddress: false);
        var garbage = Encoding.ASCII.GetBytes("this is not DICOM at all, just text sent as application/dicom");

        using var response = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(good, garbage), Token(app, NewCaller())), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Single(Items(json, ReferencedSequence));
        var failed = Assert.Single(Items(json, FailedSequence));
        Assert.Equal(StowStatusCodes.CannotUnderstand, Number(failed, FailureReasonTag));
        Assert.Null(failed[SopInstanceTag]);
        Assert.Empty(await app.ListAsync(app.Incoming));
        Assert.Contains(await app.ListAsync(app.Quarantine), q => q.Name.EndsWith(".reason.json", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("MR_truncated.dcm")]
    [InlineData("no_meta.dcm")]
    public async Task A_request_of_only_broken_instances_answers_409(string sample)
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var broken = await File.ReadAllBytesAsync(SampleInstances.SamplePath(sample), Ct);

        using var response = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(broken), Token(app, NewCaller())), Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var failed = Assert.Single(Items(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!, FailedSequence));
        Assert.NotNull(Number(failed, FailureReasonTag));
        Assert.Empty(await app.ListAsync(app.Archive, "studies/"));
        Assert.Empty(await app.ListAsync(app.Incoming));
    }

    [Fact]
    public async Task With_a_study_in_the_path_a_part_of_another_study_fails_0xA900_and_is_never_written()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var study = SampleInstances.NewUid();
        var mine = await SampleInstances.CopyAsync("CT_small.dcm", study, SampleInstances.NewUid(), 6, withAddress: false);
        var otherSop = SampleInstances.NewUid();
        var other = await SampleInstances.CopyAsync("MR_small.dcm", SampleInstances.NewUid(), otherSop, 6, withAddress: false);

        using var response = await Http.SendAsync(Post(app, $"api/dicomweb/studies/{study}", Multipart(mine, other), Token(app, NewCaller())), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        var failed = Assert.Single(Items(json, FailedSequence));
        Assert.Equal(StowStatusCodes.DataSetDoesNotMatchSopClass, Number(failed, FailureReasonTag));
        Assert.Equal(otherSop, Text(failed, SopInstanceTag));
        Assert.Single(Items(json, ReferencedSequence));
        Assert.Single(await app.ListAsync(app.Archive, "studies/"));
        Assert.Empty(await app.ListAsync(app.Quarantine));
        Assert.Empty(await app.ListAsync(app.Incoming));
    }

    [Fact]
    public async Task An_invalid_study_uid_in_the_path_answers_400()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        using var response = await Http.SendAsync(Post(app, "api/dicomweb/studies/1.02.x", Multipart([1, 2, 3]), Token(app, NewCaller())), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401_and_without_the_upload_role_403_audited_as_a_security_alert()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var instance = await SampleInstances.CopyAsync("CT_small.dcm", SampleInstances.NewUid(), SampleInstances.NewUid(), 7, withAddress: false);
        using var anonymous = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(instance), token: null), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var reader = NewCaller();
        using var forbidden = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(instance), Token(app, reader, "Archive.Read")), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Empty(await app.ListAsync(app.Incoming));
        Assert.Empty(await app.ListAsync(app.Archive, "studies/"));
        var alert = Assert.Single(await new ArchiveInspector(app).AuditLinesAsync(), l => l.Record.Event.Actor.Id == reader);
        Assert.Equal(AuditEventType.SecurityAlert, alert.Record.Event.EventType);
    }

    [Theory]
    [InlineData("application/dicom", null)]
    [InlineData("multipart/related; type=\"application/dicom+json\"; boundary=b", null)]
    [InlineData("multipart/related; boundary=b", null)]
    [InlineData("multipart/mixed; type=\"application/dicom\"; boundary=b", null)]
    public async Task A_wrong_media_type_answers_415_and_stores_nothing(string contentType, string? unused)
    {
        _ = unused;
        await using var app = await IngestApp.StartAsync(_azurite);
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Type: application/dicom\r\n\r\nxx\r\n--b--\r\n"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await Http.SendAsync(Post(app, "api/dicomweb/studies", content, Token(app, NewCaller())), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(await app.ListAsync(app.Incoming));
    }

    [Theory]
    [InlineData("multipart/related; type=\"application/dicom\"", "--b\r\n\r\nxx\r\n--b--\r\n")]
    [InlineData("multipart/related; type=\"application/dicom\"; boundary=b", "no boundary anywhere in this body")]
    [InlineData("multipart/related; type=\"application/dicom\"; boundary=b", "--b--\r\n")]
    [InlineData("multipart/related; type=\"application/dicom\"; boundary=b", "--b\r\nContent-Type: application/dicom\r\n\r\nDICM-ish but the closing boundary never comes")]
    public async Task A_malformed_multipart_body_answers_400_and_leaves_nothing_behind(string contentType, string body)
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await Http.SendAsync(Post(app, "api/dicomweb/studies", content, Token(app, NewCaller())), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("malformed-multipart", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await app.ListAsync(app.Incoming));
        Assert.Empty(await app.ListAsync(app.Archive, "studies/"));
    }

    [Fact]
    public async Task An_accept_header_without_dicom_json_answers_406()
    {
        await using var app = await IngestApp.StartAsync(_azurite);
        var request = Post(app, "api/dicomweb/studies", Multipart([1]), Token(app, NewCaller()));
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd("application/dicom+xml");

        using var response = await Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task The_response_is_read_by_pydicom_as_dicom_json()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/python3"), "python3 is not installed");
        var probe = await ExternalTool.RunAsync("/usr/bin/python3", ["-c", "import pydicom"], Ct);
        Assert.SkipUnless(probe.ExitCode == 0, "pydicom is not installed");
        await using var app = await IngestApp.StartAsync(_azurite);
        var sop = SampleInstances.NewUid();
        var good = await SampleInstances.CopyAsync("CT_small.dcm", SampleInstances.NewUid(), sop, 8, withAddress: false);
        using var response = await Http.SendAsync(Post(app, "api/dicomweb/studies", Multipart(good, Encoding.ASCII.GetBytes("garbage")), Token(app, NewCaller())), Ct);
        var path = Path.Combine(Path.GetTempPath(), "stow-response-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, await response.Content.ReadAsStringAsync(Ct), Ct);
        try
        {
            const string Script = """
                import json, sys
                from pydicom import Dataset
                ds = Dataset.from_json(open(sys.argv[1]).read())
                ref = ds.ReferencedSOPSequence[0]
                failed = ds.FailedSOPSequence[0]
                print(ref.ReferencedSOPInstanceUID, ref.RetrieveURL.endswith(ref.ReferencedSOPInstanceUID), hex(failed.FailureReason))
                """;
            var (exit, stdout, stderr) = await ExternalTool.RunAsync("/usr/bin/python3", ["-c", Script, path], Ct);
            Assert.True(exit == 0, stderr);
            Assert.Equal($"{sop} True 0xc000", stdout.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
