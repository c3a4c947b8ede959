using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Core.Identity;
using CloudArchive.Functions.DicomWeb.Research;
using CloudArchive.Functions.Hosting;
using CloudArchive.Research.Access;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.DicomWeb;
using CloudArchive.Research.Publication;
using Microsoft.AspNetCore.Authentication;

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
/// bodies are fixed codes and never echo input. The answers are written by <see cref="ResearchListings"/>,
/// <see cref="ResearchDownloads"/> and the research DICOMweb handler, the audit lines by <see cref="ResearchApiAudit"/>.
/// </summary>
public sealed class ResearchApiHandler : IHttpRequestHandler, IDisposable
{
    /// <summary>The application code in audit lines.</summary>
    public const string AuditApp = "cloudarchive-research-api";

    /// <summary>The role code in audit lines.</summary>
    public const string AuditRole = "researcher";

    private readonly IAgreementStore _agreements;
    private readonly ResearchDicomWebHandler _dicomWeb;
    private readonly ResearchApiAudit _audit;
    private readonly ResearchListings _listings;
    private readonly ResearchDownloads _downloads;
    private readonly ResearchRateLimiter _limiter;
    private readonly ClientAddressResolver _addresses;
    private readonly ResearchApiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    public ResearchApiHandler(IAgreementStore agreements, IResearchStore store, AuditLogWriter audit, ResearchRateLimiter limiter, DenialAuditThrottle denials, ResearchApiOptions options, TimeProvider time, ILogger<ResearchApiHandler> logger)
    {
        _agreements = agreements ?? throw new ArgumentNullException(nameof(agreements));
        ArgumentNullException.ThrowIfNull(store);
        var catalog = new ResearchCatalog(store);
        _dicomWeb = new ResearchDicomWebHandler(
            new ResearchDicomWebService(store, new ResearchDicomIndexStore(store)),
            new QidoQueryLimits { MaxResults = (options ?? throw new ArgumentNullException(nameof(options))).DicomWebMaxResults },
            logger ?? throw new ArgumentNullException(nameof(logger)));
        ArgumentNullException.ThrowIfNull(audit);
        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        ArgumentNullException.ThrowIfNull(denials);
        _options = options;
        _addresses = new ClientAddressResolver(options.ForwardedHeader);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger;
        _audit = new ResearchApiAudit(audit, denials, logger);
        _listings = new ResearchListings(agreements, catalog, _audit, time);
        _downloads = new ResearchDownloads(store, catalog, _audit, logger);
    }

    /// <summary>Answers one request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="correlationId">The invocation's correlation id (never a client header).</param>
    public async Task HandleAsync(HttpContext context, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(correlationId);
        var state = new ResearchRequestState(correlationId);
        try
        {
            await HandleCoreAsync(context, state).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            _logger.LogInformation("ResearchApi {CorrelationId}: the client went away.", correlationId);
            // Minor: any client can hang up, so this must not raise the serious-failure alerts a real fault raises.
            await _audit.FailureAsync(state, "client-aborted", AuditOutcome.MinorFailure).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The exception type only: messages of storage errors can carry blob names (de-identified UIDs, still kept out of logs).
            _logger.LogError("ResearchApi {CorrelationId}: failed with {ErrorType}.", correlationId, ex.GetType().Name);

            // OperationCanceledException here is a storage timeout (the client is still there).
            var transient = ex is StorageRequestException or HttpRequestException or IOException or OperationCanceledException;
            var code = transient ? "storage-unavailable" : "internal-error";
            await _audit.FailureAsync(state, code).ConfigureAwait(false);
            if (context.Response.HasStarted)
            {
                // Half a file must not look like a whole one: cut the connection so the client sees a broken transfer.
                context.Abort();
                return;
            }

            await ResearchApiResponse.ErrorAsync(context, transient ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError, code, "The request could not be completed; try again later.").ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _audit.Dispose();

    private async Task HandleCoreAsync(HttpContext context, ResearchRequestState state)
    {
        var principal = await AuthenticateAsync(context, state).ConfigureAwait(false);
        if (principal is null)
        {
            return;
        }

        var use = ResearchAccessPolicy.CanUseApi(principal);
        if (!use.IsAllowed)
        {
            await _audit.DenialAsync(state, null, null, use.Code).ConfigureAwait(false);
            await ResearchApiResponse.ErrorAsync(context, StatusCodes.Status403Forbidden, use.CallerCode, use.CallerMessage).ConfigureAwait(false);
            return;
        }

        var route = await ParseRouteAsync(context, state).ConfigureAwait(false);
        if (route is null)
        {
            return;
        }

        if (route.Kind == ResearchRouteKind.ListAgreements)
        {
            await _listings.ListAgreementsAsync(context, principal, state).ConfigureAwait(false);
            return;
        }

        state.AgreementId = route.AgreementId;
        var agreement = await AuthorizeAsync(context, principal, state, route.AgreementId!).ConfigureAwait(false);
        if (agreement is null)
        {
            return;
        }

        state.PurposeOfUse = agreement.PurposeOfUse;
        await DispatchAsync(new ResearchAccess(context, agreement, state), route).ConfigureAwait(false);
    }

    /// <summary>
    /// Authenticates the caller, rate limits it and checks App Service's principal header against the token; returns
    /// the principal, or null once the refusal has been answered (401 / 429).
    /// </summary>
    private async Task<ArchivePrincipal?> AuthenticateAsync(HttpContext context, ResearchRequestState state)
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
                await ResearchApiResponse.TooManyAsync(context, wait).ConfigureAwait(false);
                return null;
            }

            var presented = request.Headers.Authorization.Count > 0;
            _logger.LogWarning("ResearchApi {CorrelationId}: not authenticated ({Reason}).", state.CorrelationId,
                !presented ? "no-token" : authentication.Failure is { } failure ? failure.GetType().Name : "incomplete-token");
            context.Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
            await ResearchApiResponse.ErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "Send an Entra ID access token for the archive's API (Authorization: Bearer).").ConfigureAwait(false);
            return null;
        }

        state.Actor = ResearchApiAudit.Actor(principal, clientIp);
        if (_limiter.TryAcquire(ResearchRateLimiter.PrincipalPartition(principal)) is { } retryAfter)
        {
            await _audit.DenialAsync(state, null, null, "rate-limited").ConfigureAwait(false);
            await ResearchApiResponse.TooManyAsync(context, retryAfter).ConfigureAwait(false);
            return null;
        }

        if (_options.AppServiceAuthEnabled
            && !ClientPrincipalParser.AgreesWith(request.Headers[ClientPrincipalParser.PrincipalHeader], request.Headers[ClientPrincipalParser.PrincipalIdHeader], principal, out var mismatch))
        {
            // App Service vouches for one caller and the token names another: one of them is forged, so neither is believed.
            _logger.LogWarning("ResearchApi {CorrelationId}: the App Service principal disagrees with the token ({Reason}).", state.CorrelationId, mismatch);
            await _audit.DenialAsync(state, null, null, "principal-mismatch").ConfigureAwait(false);
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await ResearchApiResponse.ErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "The App Service principal and the access token name different callers.").ConfigureAwait(false);
            return null;
        }

        return principal;
    }

    /// <summary>Parses the path below the API's base; returns null once a 404 / 400 has been audited and answered.</summary>
    private async Task<ResearchRoute?> ParseRouteAsync(HttpContext context, ResearchRequestState state)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var relative = path.StartsWith(ResearchRoute.BasePath, StringComparison.Ordinal) ? path[ResearchRoute.BasePath.Length..] : null;
        var routeError = ResearchRouteError.NotFound;
        var route = relative is null ? null : ResearchRoute.Parse(relative, out routeError);
        if (route is not null)
        {
            return route;
        }

        var invalid = routeError == ResearchRouteError.InvalidIdentifier;
        await _audit.DenialAsync(state, null, null, invalid ? "invalid-identifier" : "unknown-route").ConfigureAwait(false);
        if (invalid)
        {
            await ResearchApiResponse.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid-identifier", "An agreement id or UID in the path is not well-formed.").ConfigureAwait(false);
        }
        else
        {
            await ResearchApiResponse.ErrorAsync(context, StatusCodes.Status404NotFound, "not-found", "No such resource.").ConfigureAwait(false);
        }

        return null;
    }

    private async Task DispatchAsync(ResearchAccess access, ResearchRoute route)
    {
        var context = access.Context;
        switch (route.Kind)
        {
            case ResearchRouteKind.DicomWeb:
                await _dicomWeb.HandleAsync(new ResearchDicomWebRequest(context, access.Agreement.Id, route.DicomWeb!,
                    (type, outcome, bytes, details) => _audit.AllowedAsync(access, outcome, bytes, type, details))).ConfigureAwait(false);
                break;
            case ResearchRouteKind.ListStudies:
            case ResearchRouteKind.ListSeries:
            case ResearchRouteKind.ListInstances:
            case ResearchRouteKind.ListStudyInstances:
                await _listings.ListAsync(access, route).ConfigureAwait(false);
                break;
            case ResearchRouteKind.RetrieveInstance:
                await _downloads.RetrieveInstanceAsync(access, route).ConfigureAwait(false);
                break;
            case ResearchRouteKind.RetrieveStudy when !ResearchApiResponse.AcceptsZip(context.Request):
                // WADO-RS's default for a study is multipart/related, which this API does not produce (documented).
                await _audit.AllowedAsync(access, AuditOutcome.MinorFailure, null, "fetch-study", "not-acceptable").ConfigureAwait(false);
                await ResearchApiResponse.ErrorAsync(context, StatusCodes.Status406NotAcceptable, "not-acceptable", "A study is available as application/zip only: send Accept: application/zip or GET .../archive.zip.").ConfigureAwait(false);
                break;
            case ResearchRouteKind.RetrieveStudy:
            case ResearchRouteKind.StudyArchive:
                await _downloads.RetrieveStudyZipAsync(access, route.StudyUid!).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException("Unhandled route kind.");
        }
    }

    /// <summary>Returns the agreement when the policy allows its use now; otherwise answers 403, audits 110113 and returns null.</summary>
    private async Task<DataSharingAgreement?> AuthorizeAsync(HttpContext context, ArchivePrincipal principal, ResearchRequestState state, string agreementId)
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
        await _audit.DenialAsync(state, agreementId, purpose, decision.Code).ConfigureAwait(false);
        await ResearchApiResponse.ErrorAsync(context, StatusCodes.Status403Forbidden, decision.CallerCode, decision.CallerMessage).ConfigureAwait(false);
        return null;
    }
}
