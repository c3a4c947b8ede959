using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Stow;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Tests.Audit;
using Xunit;

namespace CloudArchive.Core.Tests.DicomWeb.Stow;

/// <summary>
/// <see cref="StowService"/> with in-memory fakes of its ports: what is written where, what the ingest is asked, how
/// its results and failures become part results, and the audit line of each part.
/// </summary>
public sealed class StowServiceTests
{
    private static readonly AuditActor Caller = new("3f2504e0-4f89-41d3-9a0c-0305e82c3301", null, "cloudarchive-dicomweb", "uploader");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_part_is_written_under_an_opaque_name_with_an_upload_reference_and_ingested_from_there()
    {
        var (service, uploads, ingest, audit) = Create(_ => new IngestResult(IngestOutcome.Archived, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
        var bytes = await SampleAsync();

        var result = await service.StoreAsync(Request(null), 3, new MemoryStream(bytes), Ct);

        Assert.True(result.Stored);
        Assert.Equal("archived", result.ReasonCode);
        var (name, content, reference) = Assert.Single(uploads.Written);
        Assert.Equal("stow/req1/00003.dcm", name);
        Assert.Equal(bytes, content);
        Assert.NotNull(UploadReference.ParseOrNull(reference));
        var request = Assert.Single(ingest.Requests);
        Assert.Equal(("incoming", name, "corr-1"), (request.Container, request.BlobName, request.CorrelationId));
        var line = Assert.Single(audit.Lines);
        Assert.Equal(AuditEventType.InstancesTransferred, line.EventType);
        Assert.Contains(UploadReference.Detail(reference), line.Details);
        Assert.Equal("ABCDEFGHIJKLMNOPQRSTUVWXYZ", line.Instance?.Value);
    }

    [Fact]
    public async Task A_part_of_another_study_than_the_target_is_refused_unwritten_and_uningested()
    {
        var (service, uploads, ingest, audit) = Create(_ => throw new InvalidOperationException("must not be called"));

        var result = await service.StoreAsync(Request("1.2.3.4"), 1, new MemoryStream(await SampleAsync()), Ct);

        Assert.False(result.Stored);
        Assert.Equal(StowStatusCodes.DataSetDoesNotMatchSopClass, result.FailureReason);
        Assert.Equal("study-mismatch", result.ReasonCode);
        Assert.NotNull(result.Identity.SopInstanceUid);
        Assert.Empty(uploads.Written);
        Assert.Empty(ingest.Requests);
        Assert.Equal(AuditOutcome.MinorFailure, Assert.Single(audit.Lines).Outcome);
    }

    [Fact]
    public async Task When_the_ingest_throws_the_part_fails_0x0110_and_its_upload_is_left_for_the_event_driven_ingest()
    {
        var (service, uploads, _, _) = Create(_ => throw new IOException("storage unavailable"));

        var result = await service.StoreAsync(Request(null), 1, new MemoryStream(await SampleAsync()), Ct);

        Assert.False(result.Stored);
        Assert.Equal(StowStatusCodes.ProcessingFailure, result.FailureReason);
        Assert.Equal("ingest-deferred", result.ReasonCode);
        Assert.Single(uploads.Written);
        Assert.Empty(uploads.Deleted);
    }

    [Fact]
    public async Task A_failing_content_stream_propagates_and_nothing_is_ingested()
    {
        var (service, _, ingest, _) = Create(_ => new IngestResult(IngestOutcome.Archived));
        var bytes = await SampleAsync();

        await Assert.ThrowsAsync<EndOfStreamException>(() => service.StoreAsync(Request(null), 1, new FailingAfterStream(bytes, 300_000), Ct));

        Assert.Empty(ingest.Requests);
    }

    [Theory]
    [InlineData(IngestOutcome.Duplicate, null, true, "duplicate")]
    [InlineData(IngestOutcome.AlreadyHandled, null, false, "concurrent-ingest")]
    [InlineData(IngestOutcome.Quarantined, "quarantine.conflict", false, "quarantine.conflict")]
    public void Ingest_outcomes_map_to_stored_or_failed(IngestOutcome outcome, string? code, bool stored, string reason)
    {
        var result = StowResultMapper.Map(StowPartIdentity.Unknown, new IngestResult(outcome, null, code));
        Assert.Equal(stored, result.Stored);
        Assert.Equal(reason, result.ReasonCode);
        Assert.Equal(outcome == IngestOutcome.Duplicate ? StowStatusCodes.AlreadyStored : null, result.WarningReason);
    }

    [Theory]
    [InlineData(QuarantineReason.SopClassNotAllowed, StowStatusCodes.SopClassNotSupported)]
    [InlineData(QuarantineReason.Conflict, StowStatusCodes.DuplicateSopInstance)]
    [InlineData(QuarantineReason.Oversized, StowStatusCodes.OutOfResources)]
    [InlineData(QuarantineReason.MissingAttribute, StowStatusCodes.DataSetDoesNotMatchSopClass)]
    [InlineData(QuarantineReason.InvalidUid, StowStatusCodes.DataSetDoesNotMatchSopClass)]
    [InlineData(QuarantineReason.MetaMismatch, StowStatusCodes.DataSetDoesNotMatchSopClass)]
    [InlineData(QuarantineReason.NotDicom, StowStatusCodes.CannotUnderstand)]
    [InlineData(QuarantineReason.Empty, StowStatusCodes.CannotUnderstand)]
    [InlineData(QuarantineReason.NotPart10, StowStatusCodes.CannotUnderstand)]
    [InlineData(QuarantineReason.MissingTransferSyntax, StowStatusCodes.CannotUnderstand)]
    [InlineData(QuarantineReason.DicomFormat, StowStatusCodes.CannotUnderstand)]
    [InlineData(QuarantineReason.DeflateBomb, StowStatusCodes.CannotUnderstand)]
    [InlineData(QuarantineReason.RetentionUndetermined, StowStatusCodes.ProcessingFailure)]
    [InlineData(QuarantineReason.StudyShredded, StowStatusCodes.ProcessingFailure)]
    [InlineData(QuarantineReason.VerificationFailed, StowStatusCodes.ProcessingFailure)]
    public void Every_quarantine_reason_has_a_failure_reason(QuarantineReason reason, ushort expected)
    {
        Assert.Equal(expected, StowResultMapper.FailureReasonFor(QuarantineReasonCodes.ResultCode(reason)));
    }

    [Fact]
    public void The_overall_status_is_all_stored_only_without_warnings_and_none_stored_without_a_stored_part()
    {
        var stored = new StowInstanceResult(StowPartIdentity.Unknown, true, null, null, "archived");
        var warned = stored with { WarningReason = StowStatusCodes.AlreadyStored };
        var failed = StowInstanceResult.Failed(StowPartIdentity.Unknown, StowStatusCodes.CannotUnderstand, "x");
        Assert.Equal(StowResponseStatus.AllStored, StowResponseStatuses.For([stored, stored]));
        Assert.Equal(StowResponseStatus.StoredWithWarningsOrFailures, StowResponseStatuses.For([stored, warned]));
        Assert.Equal(StowResponseStatus.StoredWithWarningsOrFailures, StowResponseStatuses.For([stored, failed]));
        Assert.Equal(StowResponseStatus.NoneStored, StowResponseStatuses.For([failed]));
        Assert.Equal(StowResponseStatus.NoneStored, StowResponseStatuses.For([]));
    }

    private static StowRequestContext Request(string? target) => new("req1", "corr-1", Caller, target);

    private static async Task<byte[]> SampleAsync() =>
        await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "dicom", "CT_small.dcm"), Ct);

    private static (StowService, FakeUploads, FakeIngest, RecordingAudit) Create(Func<IngestRequest, IngestResult> ingest)
    {
        var uploads = new FakeUploads();
        var handler = new FakeIngest(ingest);
        var audit = new RecordingAudit();
        return (new StowService(uploads, handler, audit.Writer), uploads, handler, audit);
    }

    private sealed class FakeUploads : IStowUploadStore
    {
        public List<(string Name, byte[] Content, string Reference)> Written { get; } = [];

        public List<string> Deleted { get; } = [];

        public string Container => "incoming";

        public async Task WriteAsync(string blobName, Stream content, string uploadReference, CancellationToken cancellationToken)
        {
            var copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken);
            Written.Add((blobName, copy.ToArray(), uploadReference));
        }
    }

    private sealed class FakeIngest(Func<IngestRequest, IngestResult> answer) : IIngestHandler
    {
        public List<IngestRequest> Requests { get; } = [];

        public Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(answer(request));
        }
    }

    private sealed class RecordingAudit
    {
        public RecordingAudit() => Writer = new AuditLogWriter(Store, "stow-test", TimeProvider.System);

        public InMemoryAuditLogStore Store { get; } = new();

        public AuditLogWriter Writer { get; }

        public IReadOnlyList<AuditEvent> Lines => [.. Store.BlobNames.SelectMany(n => System.Text.Encoding.UTF8.GetString(Store.Read(n)).Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(l => AuditLineSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(l)).Event)];
    }

    /// <summary>Yields <c>limit</c> bytes of the content, then fails like a client that went away.</summary>
    private sealed class FailingAfterStream : MemoryStream
    {
        private readonly long _stop;

        public FailingAfterStream(byte[] content, int limit)
            : base(content) => _stop = Math.Min(limit, content.Length - 1);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= _stop)
            {
                throw new EndOfStreamException("the client went away");
            }

            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _stop - Position)], cancellationToken);
        }
    }
}
