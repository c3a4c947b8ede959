using CloudArchive.Core.Audit;
using CloudArchive.Core.Identity;

namespace CloudArchive.Functions.Research;

/// <summary>
/// The audit lines of the researcher API: allowed reads (110103) are written before any byte is sent and answer 503
/// when they cannot be; refusals (110113) are aggregated per caller and reason by <see cref="DenialAuditThrottle"/>;
/// a request that failed before any line recorded it gets exactly one failure line. The answers that follow an
/// allowed read's line (a listing, a 404) are written here too, so none can be sent unaudited.
/// </summary>
internal sealed class ResearchApiAudit : IDisposable
{
    private static readonly TimeSpan DenialAuditTimeout = TimeSpan.FromSeconds(30);

    private readonly AuditLogWriter _audit;
    private readonly DenialAuditThrottle _denials;
    private readonly ILogger _logger;
    private readonly ITimer _flushTimer;
    private readonly SemaphoreSlim _flushGate = new(1, 1);

    public ResearchApiAudit(AuditLogWriter audit, DenialAuditThrottle denials, ILogger logger)
    {
        _audit = audit;
        _denials = denials;
        _logger = logger;

        // Aggregated refusal counts are written when the next refusal comes, and by this timer when none does, so a
        // flood that stops is still accounted for within about one window.
        _flushTimer = TimeProvider.System.CreateTimer(_ => _ = FlushDenialsAsync(), null, denials.WindowLength, denials.WindowLength);
    }

    /// <summary>The audit actor of an authenticated caller.</summary>
    public static AuditActor Actor(ArchivePrincipal principal, System.Net.IPAddress? clientIp)
    {
        try
        {
            return new AuditActor(principal.ObjectId, principal.Upn, ResearchApiHandler.AuditApp, ResearchApiHandler.AuditRole, isRequestor: true, clientIp);
        }
        catch (ArgumentException)
        {
            // A UPN the audit format does not accept is left out rather than failing the request.
            return new AuditActor(principal.ObjectId, null, ResearchApiHandler.AuditApp, ResearchApiHandler.AuditRole, isRequestor: true, clientIp);
        }
    }

    /// <summary>Audits an allowed read (110103 unless told otherwise); when the line cannot be written, answers 503 and returns false.</summary>
    public Task<bool> AllowedAsync(ResearchAccess access, AuditOutcome outcome, long? bytes, params string[] details) =>
        AllowedAsync(access, outcome, bytes, AuditEventType.InstancesAccessed, details);

    /// <summary>Audits an allowed read of <paramref name="eventType"/>; when the line cannot be written, answers 503 and returns false.</summary>
    public async Task<bool> AllowedAsync(ResearchAccess access, AuditOutcome outcome, long? bytes, AuditEventType eventType, string[] details)
    {
        // Marked before the write: a failed write answers 503 and must not be followed by a second (failure) line.
        access.State.Audited = true;
        var audited = await TryAppendAsync(new AuditEvent
        {
            EventType = eventType,
            Action = AuditAction.Read,
            Outcome = outcome,
            Actor = access.State.Actor!,
            PurposeOfUse = access.Agreement.PurposeOfUse,
            AgreementId = access.Agreement.Id,
            Bytes = bytes,
            CorrelationId = access.State.CorrelationId,
            Details = details,
        }, access.Context.RequestAborted).ConfigureAwait(false);
        if (!audited)
        {
            await ResearchApiResponse.AuditUnavailableAsync(access.Context).ConfigureAwait(false);
        }

        return audited;
    }

    /// <summary>Audits a successful listing, then answers it with <paramref name="body"/> as JSON.</summary>
    public async Task ListedAsync(ResearchAccess access, string operation, object body)
    {
        if (await AllowedAsync(access, AuditOutcome.Success, null, operation).ConfigureAwait(false))
        {
            await ResearchApiResponse.WriteJsonAsync(access.Context, StatusCodes.Status200OK, body).ConfigureAwait(false);
        }
    }

    /// <summary>Audits an allowed read that found nothing, then answers 404.</summary>
    public async Task NotFoundAsync(ResearchAccess access, string operation)
    {
        if (await AllowedAsync(access, AuditOutcome.MinorFailure, null, operation, "not-found").ConfigureAwait(false))
        {
            await ResearchApiResponse.ErrorAsync(access.Context, StatusCodes.Status404NotFound, "not-found", "No such resource.").ConfigureAwait(false);
        }
    }

    /// <summary>Audits the agreement listing (no agreement); when the line cannot be written, answers 503 and returns false.</summary>
    public async Task<bool> ListedAgreementsAsync(HttpContext context, ResearchRequestState state, string[] details)
    {
        state.Audited = true;
        var audited = await TryAppendAsync(new AuditEvent
        {
            EventType = AuditEventType.InstancesAccessed,
            Action = AuditAction.Read,
            Outcome = AuditOutcome.Success,
            Actor = state.Actor!,
            CorrelationId = state.CorrelationId,
            Details = details,
        }, context.RequestAborted).ConfigureAwait(false);
        if (!audited)
        {
            await ResearchApiResponse.AuditUnavailableAsync(context).ConfigureAwait(false);
        }

        return audited;
    }

    /// <summary>Audits a refusal (110113), or counts it into its window's aggregate line.</summary>
    public async Task DenialAsync(ResearchRequestState state, string? agreementId, string? purposeOfUse, string detail)
    {
        state.Audited = true;
        await FlushDenialsAsync().ConfigureAwait(false);
        if (!_denials.Record(state.Actor!.Id, detail))
        {
            // Counted into the window's aggregate line (repeated=N), written once the window has passed.
            return;
        }

        // Not tied to the request: a client that hangs up right after being refused must not erase the trace of it.
        using var timeout = new CancellationTokenSource(DenialAuditTimeout);
        await TryAppendAsync(new AuditEvent
        {
            EventType = AuditEventType.SecurityAlert,
            Action = AuditAction.Read,
            Outcome = AuditOutcome.MinorFailure,
            Actor = state.Actor,
            PurposeOfUse = purposeOfUse,
            AgreementId = agreementId,
            CorrelationId = state.CorrelationId,
            Details = [detail],
        }, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Audits a request that failed after authentication before any line recorded it (exactly one line per request).</summary>
    public async Task FailureAsync(ResearchRequestState state, string detail, AuditOutcome outcome = AuditOutcome.SeriousFailure)
    {
        if (state.Actor is null || state.Audited)
        {
            return;
        }

        state.Audited = true;
        using var timeout = new CancellationTokenSource(DenialAuditTimeout);
        await TryAppendAsync(new AuditEvent
        {
            EventType = AuditEventType.InstancesAccessed,
            Action = AuditAction.Read,
            Outcome = outcome,
            Actor = state.Actor,
            AgreementId = state.AgreementId,
            PurposeOfUse = state.PurposeOfUse,
            CorrelationId = state.CorrelationId,
            Details = ["request-failed", detail],
        }, timeout.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _flushTimer.Dispose();
        _flushGate.Dispose();
    }

    /// <summary>Writes the aggregate lines of refusal windows that have passed.</summary>
    private async Task FlushDenialsAsync()
    {
        if (!_denials.HasExpired() || !await _flushGate.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            foreach (var (actor, reason, repeated) in _denials.TakeExpired())
            {
                // One timeout per line: a slow line must not cancel the others. A line that cannot be written is logged
                // by TryAppendAsync; the flush never throws, so the refusal that triggered it is still audited itself.
                using var timeout = new CancellationTokenSource(DenialAuditTimeout);
                try
                {
                    await TryAppendAsync(new AuditEvent
                    {
                        EventType = AuditEventType.SecurityAlert,
                        Action = AuditAction.Read,
                        Outcome = AuditOutcome.MinorFailure,
                        Actor = new AuditActor(actor, null, ResearchApiHandler.AuditApp, ResearchApiHandler.AuditRole, isRequestor: true),
                        Details = [reason, repeated],
                    }, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _logger.LogError("ResearchApi: an aggregated refusal line timed out and was not written.");
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The app is stopping.
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private async Task<bool> TryAppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        try
        {
            await _audit.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError("ResearchApi {CorrelationId}: the audit line could not be written ({ErrorType}).", auditEvent.CorrelationId, ex.GetType().Name);
            return false;
        }
    }
}
