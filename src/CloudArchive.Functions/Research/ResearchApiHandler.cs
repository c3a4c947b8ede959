using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Research.Agreements;
using CloudArchive.Core.Identity;
using CloudArchive.Research.Access;
using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Research.DicomWeb;
using CloudArchive.Research.Publication;
using CloudArchive.Functions.DicomWeb.Research;
using CloudArchive.Functions.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace CloudArchive.Functions.Research;

/// <summary>
/// The researcher API behind the <c>ResearchApi</c> HTTP trigger (<c>GET /api/research/...</c>). Every request goes
/// through the same steps, in this order, and stops at the first refusal: authenticate (an Entra ID access token
/// validated by the app itself, else 401; such requests are rate limited per client address) → rate limit per
/// validated principal (429) → App Service's principal header, when that platform feature is on, must agree with the
/// token (401) → app role and complete groups, decided by Core (403 <c>missing-role</c> / <c>groups-overage</c>) →
/// parse the path (404 / 400) → the research access policy of Core for the agreement (deny by default, 403) → audit →
/// answer. Allowed requests are audited (110103) <em>before</em> any byte is sent and fail closed (503) when the audit
/// log cannot be written, so no disclosure goes unaccounted; refusals are audited as 110113, repeats aggregated by
/// <see cref="DenialAuditThrottle"/>; a request that fails before it was audited is audited with its failure. Error
/// bodies are fixed codes and never echo input.
/// </summary>
public sealed class ResearchApiHandler : IDisposable
{
    /// <summary>The application code in audit lines.</summary>
    public const string AuditApp = "cloudarchive-research-api";

    /// <summary>The role code in audit lines.</summary>
    public const string AuditRole = "researcher";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    private static readonly TimeSpan DenialAuditTimeout = TimeSpan.FromSeconds(30);

    private readonly IAgreementStore _agreements;
    private readonly IResearchStore _store;
    private readonly ResearchCatalog _catalog;
    private readonly ResearchDicomWebHandler _dicomWeb;
    private readonly AuditLogWriter _audit;
    private readonly ResearchRateLimiter _limiter;
    private readonly DenialAuditThrottle _denials;
    private readonly ClientAddressResolver _addresses;
    private readonly ResearchApiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _flushTimer;
    private readonly SemaphoreSlim _flushGate = new(1, 1);

    /// <summary>Creates the handler.</summary>
    public ResearchApiHandler(IAgreementStore agreements, IResearchStore store, AuditLogWriter audit, ResearchRateLimiter limiter, DenialAuditThrottle denials, ResearchApiOptions options, TimeProvider time, ILogger<ResearchApiHandler> logger)
    {
        _agreements = agreements ?? throw new ArgumentNullException(nameof(agreements));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _catalog = new ResearchCatalog(store);
        _dicomWeb = new ResearchDicomWebHandler(
            new ResearchDicomWebService(store, new ResearchDicomIndexStore(store)),
            new QidoQueryLimits { MaxResults = (options ?? throw new ArgumentNullException(nameof(options))).DicomWebMaxResults },
            logger ?? throw new ArgumentNullException(nameof(logger)));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        _denials = denials ?? throw new ArgumentNullException(nameof(denials));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _addresses = new ClientAddressResolver(options.ForwardedHeader);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));

        // Aggregated refusal counts are written when the next refusal comes, and by this timer when none does, so a
        // flood that stops is still accounted for within about one window.
        _flushTimer = TimeProvider.System.CreateTimer(_ => _ = FlushDenialsAsync(), null, denials.WindowLength, denials.WindowLength);
    }

    /// <summary>Answers one request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="correlationId">The invocation's correlation id (never a client header).</param>
    public async Task HandleAsync(HttpContext context, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(correlationId);
        var state = new RequestState(correlationId);
        try
        {
            await HandleCoreAsync(context, state).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            _logger.LogInformation("ResearchApi {CorrelationId}: the client went away.", correlationId);
            // Minor: any client can hang up, so this must not raise the serious-failure alerts a real fault raises.
            await AuditFailureAsync(state, "client-aborted", AuditOutcome.MinorFailure).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The exception type only: messages of storage errors can carry blob names (de-identified UIDs, still kept out of logs).
            _logger.LogError("ResearchApi {CorrelationId}: failed with {ErrorType}.", correlationId, ex.GetType().Name);

            // OperationCanceledException here is a storage timeout (the client is still there).
            var transient = ex is StorageRequestException or HttpRequestException or IOException or OperationCanceledException;
            var code = transient ? "storage-unavailable" : "internal-error";
            await AuditFailureAsync(state, code).ConfigureAwait(false);
            if (context.Response.HasStarted)
            {
                // Half a file must not look like a whole one: cut the connection so the client sees a broken transfer.
                context.Abort();
                return;
            }

            await ErrorAsync(context, transient ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError, code, "The request could not be completed; try again later.").ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _flushTimer.Dispose();
        _flushGate.Dispose();
    }

    private async Task HandleCoreAsync(HttpContext context, RequestState state)
    {
        var request = context.Request;
        var clientIp = _addresses.Resolve(context);
        var authentication = await context.AuthenticateAsync(ArchiveAuthentication.Scheme).ConfigureAwait(false);
        var principal = authentication.Succeeded ? TokenPrincipalReader.Read(authentication.Principal!) : null;
        if (principal is null)
        {
            // Not audited: nobody is proven to attribute the line to, and auditing what anyone can send would let anyone
            // fill the audit log. Limited per client address instead, so guessing tokens or ids costs the same budget.
            if (_limiter.TryAcquire(ClientAddressResolver.Partition(clientIp)) is { } wait)
            {
                await TooManyAsync(context, wait).ConfigureAwait(false);
                return;
            }

            var presented = request.Headers.Authorization.Count > 0;
            _logger.LogWarning("ResearchApi {CorrelationId}: not authenticated ({Reason}).", state.CorrelationId,
                !presented ? "no-token" : authentication.Failure is { } failure ? failure.GetType().Name : "incomplete-token");
            context.Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "Send an Entra ID access token for the archive's API (Authorization: Bearer).").ConfigureAwait(false);
            return;
        }

        state.Actor = Actor(principal, clientIp);
        if (_limiter.TryAcquire(ResearchRateLimiter.PrincipalPartition(principal)) is { } retryAfter)
        {
            await AuditDenialAsync(state, null, null, "rate-limited").ConfigureAwait(false);
            await TooManyAsync(context, retryAfter).ConfigureAwait(false);
            return;
        }

        if (_options.AppServiceAuthEnabled
            && !ClientPrincipalParser.AgreesWith(request.Headers[ClientPrincipalParser.PrincipalHeader], request.Headers[ClientPrincipalParser.PrincipalIdHeader], principal, out var mismatch))
        {
            // App Service vouches for one caller and the token names another: one of them is forged, so neither is believed.
            _logger.LogWarning("ResearchApi {CorrelationId}: the App Service principal disagrees with the token ({Reason}).", state.CorrelationId, mismatch);
            await AuditDenialAsync(state, null, null, "principal-mismatch").ConfigureAwait(false);
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "The App Service principal and the access token name different callers.").ConfigureAwait(false);
            return;
        }

        var use = ResearchAccessPolicy.CanUseApi(principal);
        if (!use.IsAllowed)
        {
            await AuditDenialAsync(state, null, null, use.Code).ConfigureAwait(false);
            await ErrorAsync(context, StatusCodes.Status403Forbidden, use.CallerCode, use.CallerMessage).ConfigureAwait(false);
            return;
        }

        var path = request.Path.Value ?? string.Empty;
        var relative = path.StartsWith(ResearchRoute.BasePath, StringComparison.Ordinal) ? path[ResearchRoute.BasePath.Length..] : null;
        var routeError = ResearchRouteError.NotFound;
        var route = relative is null ? null : ResearchRoute.Parse(relative, out routeError);
        if (route is null)
        {
            var invalid = routeError == ResearchRouteError.InvalidIdentifier;
            await AuditDenialAsync(state, null, null, invalid ? "invalid-identifier" : "unknown-route").ConfigureAwait(false);
            if (invalid)
            {
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid-identifier", "An agreement id or UID in the path is not well-formed.").ConfigureAwait(false);
            }
            else
            {
                await ErrorAsync(context, StatusCodes.Status404NotFound, "not-found", "No such resource.").ConfigureAwait(false);
            }

            return;
        }

        if (route.Kind == ResearchRouteKind.ListAgreements)
        {
            await ListAgreementsAsync(context, principal, state).ConfigureAwait(false);
            return;
        }

        state.AgreementId = route.AgreementId;
        var agreement = await AuthorizeAsync(context, principal, state, route.AgreementId!).ConfigureAwait(false);
        if (agreement is null)
        {
            return;
        }

        state.PurposeOfUse = agreement.PurposeOfUse;
        var access = new Access(context, agreement, state);
        switch (route.Kind)
        {
            case ResearchRouteKind.DicomWeb:
                await _dicomWeb.HandleAsync(new ResearchDicomWebRequest(context, agreement.Id, route.DicomWeb!,
                    (type, outcome, bytes, details) => AuditAllowedAsync(access, outcome, bytes, type, details))).ConfigureAwait(false);
                break;
            case ResearchRouteKind.ListStudies:
                var studies = await _catalog.ListStudiesAsync(agreement.Id, context.RequestAborted).ConfigureAwait(false);
                await ListedAsync(access, "list-studies", new { agreementId = agreement.Id, studies }).ConfigureAwait(false);
                break;
            case ResearchRouteKind.ListSeries:
                var series = await _catalog.ListSeriesAsync(agreement.Id, route.StudyUid!, context.RequestAborted).ConfigureAwait(false);
                await (series.Count == 0
                    ? NotFoundAsync(access, "list-series")
                    : ListedAsync(access, "list-series", new { agreementId = agreement.Id, studyInstanceUid = route.StudyUid, series })).ConfigureAwait(false);
                break;
            case ResearchRouteKind.ListInstances:
                var instances = await _catalog.ListSeriesInstancesAsync(agreement.Id, route.StudyUid!, route.SeriesUid!, context.RequestAborted).ConfigureAwait(false);
                await (instances.Count == 0
                    ? NotFoundAsync(access, "list-instances")
                    : ListedAsync(access, "list-instances", new { agreementId = agreement.Id, studyInstanceUid = route.StudyUid, seriesInstanceUid = route.SeriesUid, instances })).ConfigureAwait(false);
                break;
            case ResearchRouteKind.ListStudyInstances:
                var studyInstances = await _catalog.ListStudyInstancesAsync(agreement.Id, route.StudyUid!, context.RequestAborted).ConfigureAwait(false);
                await (studyInstances.Count == 0
                    ? NotFoundAsync(access, "list-study-instances")
                    : ListedAsync(access, "list-study-instances", new { agreementId = agreement.Id, studyInstanceUid = route.StudyUid, instances = studyInstances })).ConfigureAwait(false);
                break;
            case ResearchRouteKind.RetrieveInstance:
                await RetrieveInstanceAsync(access, route).ConfigureAwait(false);
                break;
            case ResearchRouteKind.RetrieveStudy when !AcceptsZip(context.Request):
                // WADO-RS's default for a study is multipart/related, which this API does not produce (documented).
                await AuditAllowedAsync(access, AuditOutcome.MinorFailure, null, "fetch-study", "not-acceptable").ConfigureAwait(false);
                await ErrorAsync(context, StatusCodes.Status406NotAcceptable, "not-acceptable", "A study is available as application/zip only: send Accept: application/zip or GET .../archive.zip.").ConfigureAwait(false);
                break;
            case ResearchRouteKind.RetrieveStudy:
            case ResearchRouteKind.StudyArchive:
                await RetrieveStudyZipAsync(access, route.StudyUid!).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException("Unhandled route kind.");
        }
    }

    private async Task ListAgreementsAsync(HttpContext context, ArchivePrincipal principal, RequestState state)
    {
        var now = _time.GetUtcNow();
        var agreements = new List<AgreementView>();
        await foreach (var stored in _agreements.ListAsync(context.RequestAborted).ConfigureAwait(false))
        {
            var a = stored.Agreement;
            if (ResearchAccessPolicy.IsListed(principal, a, now))
            {
                agreements.Add(new AgreementView(a.Id, a.Title, a.PurposeOfUse, a.ValidFrom, a.ValidUntil));
            }
        }

        state.Audited = true;
        var audited = await TryAppendAsync(new AuditEvent
        {
            EventType = AuditEventType.InstancesAccessed,
            Action = AuditAction.Read,
            Outcome = AuditOutcome.Success,
            Actor = state.Actor!,
            CorrelationId = state.CorrelationId,
            Details = ["list-agreements", string.Create(CultureInfo.InvariantCulture, $"count={agreements.Count}")],
        }, context.RequestAborted).ConfigureAwait(false);
        if (!audited)
        {
            await AuditUnavailableAsync(context).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new { agreements }).ConfigureAwait(false);
    }

    /// <summary>Returns the agreement when the policy allows its use now; otherwise answers 403, audits 110113 and returns null.</summary>
    private async Task<DataSharingAgreement?> AuthorizeAsync(HttpContext context, ArchivePrincipal principal, RequestState state, string agreementId)
    {
        StoredAgreement? stored;
        var unreadable = false;
        try
        {
            stored = await _agreements.GetAsync(agreementId, context.RequestAborted).ConfigureAwait(false);
        }
        catch (AgreementFormatException)
        {
            _logger.LogError("ResearchApi {CorrelationId}: the stored agreement is malformed; access denied.", state.CorrelationId);
            stored = null;
            unreadable = true;
        }

        var decision = ResearchAccessPolicy.CanUseAgreement(principal, stored?.Agreement, _time.GetUtcNow(), unreadable);
        if (decision.IsAllowed)
        {
            return stored!.Agreement;
        }

        // Only a recipient learns why (closed, expired); everyone else gets one answer for "no such agreement" and
        // "not yours", so agreement ids cannot be probed. The audit line tells them apart.
        var purpose = decision.RevealsReason ? stored?.Agreement.PurposeOfUse : null;
        await AuditDenialAsync(state, agreementId, purpose, decision.Code).ConfigureAwait(false);
        await ErrorAsync(context, StatusCodes.Status403Forbidden, decision.CallerCode, decision.CallerMessage).ConfigureAwait(false);
        return null;
    }

    private async Task ListedAsync(Access access, string operation, object body)
    {
        if (await AuditAllowedAsync(access, AuditOutcome.Success, null, operation).ConfigureAwait(false))
        {
            await WriteJsonAsync(access.Context, StatusCodes.Status200OK, body).ConfigureAwait(false);
        }
    }

    private async Task NotFoundAsync(Access access, string operation)
    {
        if (await AuditAllowedAsync(access, AuditOutcome.MinorFailure, null, operation, "not-found").ConfigureAwait(false))
        {
            await ErrorAsync(access.Context, StatusCodes.Status404NotFound, "not-found", "No such resource.").ConfigureAwait(false);
        }
    }

    private async Task RetrieveInstanceAsync(Access access, ResearchRoute route)
    {
        var context = access.Context;
        var name = ResearchNames.Instance(access.Agreement.Id, route.StudyUid!, route.SeriesUid!, route.InstanceUid!);
        var blob = await _store.OpenReadAsync(name, context.RequestAborted).ConfigureAwait(false);
        if (blob is null)
        {
            await NotFoundAsync(access, "fetch-instance").ConfigureAwait(false);
            return;
        }

        await using (blob.ConfigureAwait(false))
        {
            if (!await AuditAllowedAsync(access, AuditOutcome.Success, blob.Length, "fetch-instance").ConfigureAwait(false))
            {
                return;
            }

            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/dicom";
            response.ContentLength = blob.Length;
            response.Headers.ContentDisposition = $"attachment; filename=\"{route.InstanceUid}.dcm\"";
            NoStore(response);
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await blob.Content.CopyToAsync(response.Body, 128 * 1024, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task RetrieveStudyZipAsync(Access access, string studyUid)
    {
        var context = access.Context;
        var instances = (await _catalog.ListInstancesAsync(ResearchNames.StudyPrefix(access.Agreement.Id, studyUid), context.RequestAborted).ConfigureAwait(false))
            .OrderBy(i => i.Name.SeriesUid, StringComparer.Ordinal)
            .ThenBy(i => i.Name.InstanceUid, StringComparer.Ordinal)
            .ToList();
        if (instances.Count == 0)
        {
            await NotFoundAsync(access, "fetch-study-zip").ConfigureAwait(false);
            return;
        }

        // The audited byte count is the DICOM content the archive is about to release (the ZIP framing adds a little).
        var bytes = instances.Sum(i => i.Length);
        if (!await AuditAllowedAsync(access, AuditOutcome.Success, bytes, "fetch-study-zip", string.Create(CultureInfo.InvariantCulture, $"instances={instances.Count}")).ConfigureAwait(false))
        {
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/zip";
        response.Headers.ContentDisposition = $"attachment; filename=\"{studyUid}.zip\"";
        NoStore(response);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Create mode writes entries with data descriptors, so the archive streams to the (non-seekable) response body as
        // it is produced: memory stays at one copy buffer whatever the study size. No compression: most DICOM pixel data
        // is already compressed or compresses poorly, and CPU on a Functions instance is better spent on throughput.
        var body = new DeferredSyncWriteStream(response.Body);
        var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, context.RequestAborted).ConfigureAwait(false);
        await using (zip.ConfigureAwait(false))
        {
            try
            {
                var skipped = 0;
                foreach (var (name, _) in instances)
                {
                    var blob = await _store.OpenReadAsync(ResearchNames.Instance(name.AgreementId, name.StudyUid, name.SeriesUid, name.InstanceUid), context.RequestAborted).ConfigureAwait(false);
                    if (blob is null)
                    {
                        // Removed since the listing (e.g. a consent revocation was applied): it must not be released.
                        skipped++;
                        continue;
                    }

                    await using (blob.ConfigureAwait(false))
                    {
                        var entry = zip.CreateEntry($"{name.SeriesUid}/{name.InstanceUid}.dcm", CompressionLevel.NoCompression);
                        var target = await entry.OpenAsync(context.RequestAborted).ConfigureAwait(false);
                        await using (target.ConfigureAwait(false))
                        {
                            await blob.Content.CopyToAsync(target, 128 * 1024, context.RequestAborted).ConfigureAwait(false);
                        }
                    }
                }

                if (skipped > 0)
                {
                    _logger.LogWarning("ResearchApi {CorrelationId}: {Skipped} instance(s) disappeared while the study archive was written.", access.State.CorrelationId, skipped);
                }
            }
            catch
            {
                body.Abandon();
                throw;
            }
        }

        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        await body.DisposeAsync().ConfigureAwait(false);
    }

    private Task<bool> AuditAllowedAsync(Access access, AuditOutcome outcome, long? bytes, params string[] details) =>
        AuditAllowedAsync(access, outcome, bytes, AuditEventType.InstancesAccessed, details);

    private async Task<bool> AuditAllowedAsync(Access access, AuditOutcome outcome, long? bytes, AuditEventType eventType, string[] details)
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
            await AuditUnavailableAsync(access.Context).ConfigureAwait(false);
        }

        return audited;
    }

    private async Task AuditDenialAsync(RequestState state, string? agreementId, string? purposeOfUse, string detail)
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
                        Actor = new AuditActor(actor, null, AuditApp, AuditRole, isRequestor: true),
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

    /// <summary>Audits a request that failed after authentication before any line recorded it (exactly one line per request).</summary>
    private async Task AuditFailureAsync(RequestState state, string detail, AuditOutcome outcome = AuditOutcome.SeriousFailure)
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

    private static async Task TooManyAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await ErrorAsync(context, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests; retry after the number of seconds in Retry-After.").ConfigureAwait(false);
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

    private static Task AuditUnavailableAsync(HttpContext context) =>
        ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "audit-unavailable", "The access could not be recorded, so nothing is released; try again later.");

    private static AuditActor Actor(ArchivePrincipal principal, System.Net.IPAddress? clientIp)
    {
        try
        {
            return new AuditActor(principal.ObjectId, principal.Upn, AuditApp, AuditRole, isRequestor: true, clientIp);
        }
        catch (ArgumentException)
        {
            // A UPN the audit format does not accept is left out rather than failing the request.
            return new AuditActor(principal.ObjectId, null, AuditApp, AuditRole, isRequestor: true, clientIp);
        }
    }

    private static bool AcceptsZip(HttpRequest request) =>
        request.Headers.Accept.Any(v => v is not null && v.Contains("application/zip", StringComparison.OrdinalIgnoreCase));

    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, new { error = code, message });

    private static async Task WriteJsonAsync(HttpContext context, int status, object body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        NoStore(response);
        await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), Json, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record Access(HttpContext Context, DataSharingAgreement Agreement, RequestState State);

    /// <summary>What one request has established so far, so that a failure can still be audited once.</summary>
    private sealed class RequestState(string correlationId)
    {
        public string CorrelationId { get; } = correlationId;

        public AuditActor? Actor { get; set; }

        public string? AgreementId { get; set; }

        public string? PurposeOfUse { get; set; }

        public bool Audited { get; set; }
    }
}
