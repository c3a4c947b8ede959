using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.DicomWeb.Clinical;
using CloudArchive.Core.Identity;
using CloudArchive.Functions.Hosting;
using CloudArchive.Functions.Research;
using Microsoft.AspNetCore.Authentication;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// The clinical DICOMweb root behind <see cref="ClinicalDicomWeb"/>. Every request goes through the same steps and stops
/// at the first refusal: authenticate (Entra ID access token validated by the app, else 401, not audited) → Core's
/// <see cref="ClinicalAccessPolicy"/> (role → 403; purpose of use missing or not accepted → 400; both audited 110113) →
/// parse the path (404 / 400, audited) → search (<see cref="ClinicalSearch"/>) or retrieve
/// (<see cref="ClinicalRetrieve"/>), each audited before any byte is sent. Error bodies are fixed codes and never echo input.
/// </summary>
public sealed class ClinicalDicomWebHandler : IHttpRequestHandler
{
    private readonly ClinicalDicomWebOptions _options;
    private readonly ClinicalAuditor _auditor;
    private readonly ClinicalSearch _search;
    private readonly ClinicalRetrieve _retrieve;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    public ClinicalDicomWebHandler(ClinicalArchive archive, AuditLogWriter audit, ClinicalDicomWebOptions options, ILogger<ClinicalDicomWebHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(audit);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _auditor = new ClinicalAuditor(audit, logger);
        _search = new ClinicalSearch(archive, _auditor, options);
        _retrieve = new ClinicalRetrieve(archive, _auditor);
    }

    /// <summary>Answers one request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="correlationId">The invocation's correlation id (never a client header).</param>
    public async Task HandleAsync(HttpContext context, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(correlationId);
        var request = new ClinicalRequest(context, correlationId);
        try
        {
            await HandleCoreAsync(request).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            _logger.LogInformation("DicomWeb {CorrelationId}: the client went away.", correlationId);
            await _auditor.FailedAsync(request, "client-aborted", AuditOutcome.MinorFailure).ConfigureAwait(false);
        }
        catch (EnvelopeDecryptionException ex) when (ex.Reason == EnvelopeFailureReason.KeyDestroyed && !context.Response.HasStarted)
        {
            // Shredded between the look-up and the read.
            await _auditor.FailedAsync(request, "study-shredded", AuditOutcome.MinorFailure).ConfigureAwait(false);
            await ClinicalResponses.ErrorAsync(context, StatusCodes.Status410Gone, "study-shredded", "The study was crypto-shredded; it is no longer in the archive.").ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The exception type only: storage messages can carry blob names.
            _logger.LogError("DicomWeb {CorrelationId}: failed with {ErrorType}.", correlationId, ex.GetType().Name);
            var transient = ex is StorageRequestException or HttpRequestException or IOException or OperationCanceledException;
            var code = transient ? "storage-unavailable" : "internal-error";
            await _auditor.FailedAsync(request, code, AuditOutcome.SeriousFailure).ConfigureAwait(false);
            if (context.Response.HasStarted)
            {
                // Half a multipart body must not look like a whole one.
                context.Abort();
                return;
            }

            await ClinicalResponses.ErrorAsync(context, transient ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError, code, "The request could not be completed; try again later.").ConfigureAwait(false);
        }
    }

    private async Task HandleCoreAsync(ClinicalRequest request)
    {
        var context = request.Context;
        var authentication = await context.AuthenticateAsync(ArchiveAuthentication.Scheme).ConfigureAwait(false);
        var principal = authentication.Succeeded ? TokenPrincipalReader.Read(authentication.Principal!) : null;
        if (principal is null)
        {
            // Not audited: nobody is proven to attribute the line to.
            var presented = context.Request.Headers.Authorization.Count > 0;
            _logger.LogWarning("DicomWeb {CorrelationId}: not authenticated ({Reason}).", request.CorrelationId, presented ? "invalid-token" : "no-token");
            context.Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
            await ClinicalResponses.ErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "Send an Entra ID access token for the archive's API (Authorization: Bearer).").ConfigureAwait(false);
            return;
        }

        request.Actor = Actor(principal, context.Connection.RemoteIpAddress);
        var purposes = context.Request.Headers[ClinicalDicomWebOptions.PurposeOfUseHeader];
        var decision = ClinicalAccessPolicy.Decide(principal, purposes.Count == 0 ? null : string.Join(',', purposes.ToArray()), _options);
        if (!decision.IsAllowed)
        {
            await _auditor.RefusedAsync(request, decision.Code).ConfigureAwait(false);
            await ClinicalResponses.ErrorAsync(context, decision.IsBadRequest ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden, decision.Code, decision.CallerMessage).ConfigureAwait(false);
            return;
        }

        request.PurposeOfUse = decision.PurposeOfUse;
        var path = context.Request.Path.Value ?? string.Empty;
        var invalid = false;
        var route = path.StartsWith(ClinicalRoute.BasePath, StringComparison.Ordinal) ? ClinicalRoute.Parse(path[ClinicalRoute.BasePath.Length..], out invalid) : null;
        if (route is null)
        {
            await _auditor.RefusedAsync(request, invalid ? "invalid-identifier" : "unknown-route").ConfigureAwait(false);
            await (invalid
                ? ClinicalResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid-identifier", "A UID, frame number or bulk data path in the URL is not well-formed.")
                : ClinicalResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "not-found", "No such DICOMweb resource.")).ConfigureAwait(false);
            return;
        }

        request.Route = route;
        await (route.Kind switch
        {
            ClinicalRouteKind.SearchStudies or ClinicalRouteKind.SearchSeries or ClinicalRouteKind.SearchInstances => _search.SearchAsync(request, route),
            _ => _retrieve.RetrieveAsync(request, route),
        }).ConfigureAwait(false);
    }

    private static AuditActor Actor(ArchivePrincipal principal, System.Net.IPAddress? clientIp)
    {
        try
        {
            return new AuditActor(principal.ObjectId, principal.Upn, ClinicalAuditor.AuditApp, ClinicalAuditor.AuditRole, isRequestor: true, clientIp);
        }
        catch (ArgumentException)
        {
            // A UPN the audit format does not accept is left out rather than failing the request.
            return new AuditActor(principal.ObjectId, null, ClinicalAuditor.AuditApp, ClinicalAuditor.AuditRole, isRequestor: true, clientIp);
        }
    }
}
