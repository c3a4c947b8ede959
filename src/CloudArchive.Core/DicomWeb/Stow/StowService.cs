using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>
/// Stores STOW-RS parts through the same ingest pipeline as a Blob upload (docs/dicomweb/stow.md): each part is
/// streamed into <c>incoming</c> under an opaque name (<c>stow/{requestId}/{n}.dcm</c>) with a random upload reference,
/// and then taken in synchronously by <see cref="IIngestHandler"/> (validate, minimize, retention, encrypt, archive,
/// audit, delete the upload). Its UIDs are read from the part's head on the way through, for the response; with a
/// target study, a part of another study is refused before anything is written. Each part gets a 110104 audit line
/// naming the caller and the upload reference, which ties it to the ingest's own 110107 line.
/// </summary>
/// <remarks>
/// When the ingest fails (it throws: storage unavailable, host stopping), the upload is deliberately left in
/// <c>incoming</c>: the BlobCreated event of that upload (Event Grid, or the local host's scanner) gives it to the
/// queue-triggered ingest, with its retries and poison queue, and the reconcile sweep catches a lost event. The sender is
/// told the part failed with 0x0110 and, on retry, gets "already stored" or the real failure.
/// </remarks>
public sealed class StowService
{
    /// <summary>Bytes of each part held to read its UIDs (the File Meta Information and the data set up to Series Instance UID).</summary>
    public const int DefaultHeadBytes = 256 * 1024;

    /// <summary>
    /// Where STOW-RS parts go in <c>incoming</c>. The request that writes a part also takes it in, so the event-driven
    /// ingest leaves this prefix alone (the Event Grid filter in infra, the local host's scanner); a part a failed
    /// request left behind is re-enqueued by the Reconcile timer once it is stale.
    /// </summary>
    public const string UploadPrefix = "stow/";

    private readonly IStowUploadStore _uploads;
    private readonly IIngestHandler _ingest;
    private readonly AuditLogWriter _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _headBytes;

    /// <summary>Creates the service.</summary>
    public StowService(IStowUploadStore uploads, IIngestHandler ingest, AuditLogWriter audit, TimeProvider? time = null, ILogger<StowService>? logger = null, int headBytes = DefaultHeadBytes)
    {
        _uploads = uploads ?? throw new ArgumentNullException(nameof(uploads));
        _ingest = ingest ?? throw new ArgumentNullException(nameof(ingest));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        ArgumentOutOfRangeException.ThrowIfLessThan(headBytes, 1024);
        _headBytes = headBytes;
    }

    /// <summary>
    /// Stores one part. Exceptions of <paramref name="content"/> (a size limit, the client going away) and of the upload
    /// write propagate; nothing of that part is committed then.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="partNumber">The part's 1-based position in the request.</param>
    /// <param name="content">The part's body, read once, forward.</param>
    /// <param name="cancellationToken">Cancels the part.</param>
    public async Task<StowInstanceResult> StoreAsync(StowRequestContext request, int partNumber, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        var head = new byte[_headBytes];
        var headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var identity = StowPartIdentityReader.Read(head.AsSpan(0, headLength));

        if (request.TargetStudyInstanceUid is { } target && !string.Equals(identity.StudyInstanceUid, target, StringComparison.Ordinal))
        {
            // Refused unread and unwritten: the request named one study, and this part is of another (or names none).
            var refused = StowInstanceResult.Failed(identity, StowStatusCodes.DataSetDoesNotMatchSopClass, "study-mismatch");
            await AuditAsync(request, refused, null, cancellationToken).ConfigureAwait(false);
            return refused;
        }

        var blobName = $"{UploadPrefix}{request.RequestId}/{partNumber:D5}.dcm";
        var reference = UploadReference.New();
        await _uploads.WriteAsync(blobName, new HeadThenRestStream(head, headLength, content), reference, cancellationToken).ConfigureAwait(false);

        StowInstanceResult result;
        try
        {
            var outcome = await _ingest.IngestAsync(new IngestRequest
            {
                Container = _uploads.Container,
                BlobName = blobName,
                EventId = $"stow-{request.RequestId}-{partNumber}",
                EventTime = _time.GetUtcNow(),
                Api = "PutBlockList",
                CorrelationId = request.CorrelationId,
            }, cancellationToken).ConfigureAwait(false);
            result = StowResultMapper.Map(identity, outcome);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Stow {CorrelationId} part {Part}: the ingest failed with {ErrorType}; the upload is left for the event-driven ingest.", request.CorrelationId, partNumber, ex.GetType().Name);
            result = StowInstanceResult.Failed(identity, StowStatusCodes.ProcessingFailure, "ingest-deferred");
        }

        _logger.LogInformation("Stow {CorrelationId} part {Part}: {Code} instance {InstanceKey}.", request.CorrelationId, partNumber, result.ReasonCode, result.InstanceKey);
        await AuditAsync(request, result, reference, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task AuditAsync(StowRequestContext request, StowInstanceResult result, string? reference, CancellationToken cancellationToken)
    {
        var details = new List<string> { "stow", result.ReasonCode };
        if (reference is not null)
        {
            details.Add(UploadReference.Detail(reference));
        }

        try
        {
            await _audit.AppendAsync(new AuditEvent
            {
                EventType = AuditEventType.InstancesTransferred,
                Action = AuditAction.Create,
                Outcome = result.Stored ? AuditOutcome.Success : AuditOutcome.MinorFailure,
                Actor = request.Actor,
                Instance = OpaqueKey.IsValid(result.InstanceKey) ? new OpaqueKey(result.InstanceKey!) : null,
                CorrelationId = request.CorrelationId,
                Details = details,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The instance's own import line (110107) is already written by the ingest; this one adds who sent it.
            _logger.LogError("Stow {CorrelationId}: the transfer audit line could not be written ({ErrorType}).", request.CorrelationId, ex.GetType().Name);
        }
    }
}
