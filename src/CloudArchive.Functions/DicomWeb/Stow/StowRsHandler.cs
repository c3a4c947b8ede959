using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Stow;
using CloudArchive.Core.Identity;
using CloudArchive.Dicom;
using CloudArchive.Functions.DicomWeb.Http;
using CloudArchive.Functions.Hosting;
using CloudArchive.Functions.Research;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace CloudArchive.Functions.DicomWeb.Stow;

/// <summary>
/// STOW-RS behind the <c>StowRs</c> HTTP trigger (<c>POST /api/dicomweb/studies[/{study}]</c>). In order, stopping at
/// the first refusal: authenticate (Entra ID access token validated by the app, else 401) → Core's
/// <see cref="StowAccessPolicy"/> (<c>Archive.Upload</c>, else 403, audited 110113) → the study UID in the path (400) →
/// <c>Accept</c> (406 unless DICOM JSON is acceptable) → the announced length against <c>MaxRequestBytes</c> (413) → the
/// media type (415 unless <c>multipart/related; type="application/dicom"</c>; 400 without a boundary) → each part,
/// streamed, through <see cref="StowService"/> → the Store Instances Response (200 all stored, 202 some failed or
/// warned, 409 none stored; 413 / 400 when a limit or the body's format stopped the request, with what was stored
/// before). Error bodies are fixed texts; no UID, file name or header value is logged.
/// </summary>
public sealed class StowRsHandler : IHttpRequestHandler
{
    /// <summary>The application code in audit lines.</summary>
    public const string AuditApp = "cloudarchive-dicomweb";

    /// <summary>The role code in audit lines.</summary>
    public const string AuditRole = "uploader";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan DenialAuditTimeout = TimeSpan.FromSeconds(30);

    private readonly StowService _service;
    private readonly AuditLogWriter _audit;
    private readonly StowOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    public StowRsHandler(StowService service, AuditLogWriter audit, StowOptions options, ILogger<StowRsHandler> logger)
    {
        _service = service ?? throw new ArgumentNullException(nameof(service));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Answers one request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="correlationId">The invocation's correlation id.</param>
    public async Task HandleAsync(HttpContext context, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(correlationId);
        var request = context.Request;
        var authentication = await context.AuthenticateAsync(ArchiveAuthentication.Scheme).ConfigureAwait(false);
        var principal = authentication.Succeeded ? TokenPrincipalReader.Read(authentication.Principal!) : null;
        if (principal is null)
        {
            var presented = request.Headers.Authorization.Count > 0;
            _logger.LogWarning("StowRs {CorrelationId}: not authenticated ({Reason}).", correlationId, presented ? "invalid-token" : "no-token");
            context.Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated", "Send an Entra ID access token for the archive's API (Authorization: Bearer).").ConfigureAwait(false);
            return;
        }

        var actor = Actor(principal, context.Connection.RemoteIpAddress);
        if (!StowAccessPolicy.CanStore(principal))
        {
            await AuditDenialAsync(actor, correlationId).ConfigureAwait(false);
            await ErrorAsync(context, StatusCodes.Status403Forbidden, StowAccessPolicy.MissingRoleCode, $"Storing instances needs the {StowAccessPolicy.RequiredRole} app role.").ConfigureAwait(false);
            return;
        }

        // From the path rather than route values: the Functions host's proxied request does not carry the latter.
        var study = StudyOfPath(request.Path.Value);
        string? target = null;
        if (study is not null)
        {
            if (!DicomUid.IsValid(study))
            {
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid-identifier", "The Study Instance UID in the path is not a well-formed UID.").ConfigureAwait(false);
                return;
            }

            target = study;
        }

        if (!AcceptsDicomJson(request))
        {
            await ErrorAsync(context, StatusCodes.Status406NotAcceptable, "not-acceptable", $"The Store Instances Response is {StoreInstancesResponseWriter.MediaType}; the Accept header rules it out.").ConfigureAwait(false);
            return;
        }

        if (request.ContentLength is { } announced && announced > _options.MaxRequestBytes)
        {
            await TooLargeAsync(context, new PayloadTooLargeException("MaxRequestBytes", _options.MaxRequestBytes)).ConfigureAwait(false);
            return;
        }

        MultipartRelatedReader reader;
        try
        {
            reader = MultipartRelatedReader.Create(request.ContentType, request.Body, "application/dicom", _options.MaxRequestBytes, _options.MaxPartBytes);
        }
        catch (MultipartMediaTypeException ex)
        {
            await ErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", ex.Message).ConfigureAwait(false);
            return;
        }
        catch (MultipartFormatException ex)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "malformed-multipart", ex.Message).ConfigureAwait(false);
            return;
        }

        // The archive's own limits hold while streaming; the server's default (30 MB in Kestrel) would cut instances short.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        await StoreAsync(context, reader, new StowRequestContext(Guid.NewGuid().ToString("N"), correlationId, actor, target)).ConfigureAwait(false);
    }

    private async Task StoreAsync(HttpContext context, MultipartRelatedReader reader, StowRequestContext stow)
    {
        var results = new List<StowInstanceResult>();
        var cancellationToken = context.RequestAborted;
        try
        {
            var number = 0;
            while (await reader.ReadNextPartAsync(cancellationToken).ConfigureAwait(false) is { } part)
            {
                number++;
                if (part.ContentType is not null && !MultipartRelatedReader.IsMediaType(part.ContentType, "application/dicom"))
                {
                    // A metadata or bulk data part (the other STOW-RS payload form) is not supported: that part fails.
                    results.Add(StowInstanceResult.Failed(StowPartIdentity.Unknown, StowStatusCodes.CannotUnderstand, "unsupported-part-type"));
                    continue;
                }

                try
                {
                    results.Add(await _service.StoreAsync(stow, number, part.Body, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex) when (IsStorageFailure(ex) && !cancellationToken.IsCancellationRequested)
                {
                    // The part's upload was not committed; the request's position in the body is lost, so stop here.
                    _logger.LogError("StowRs {CorrelationId} part {Part}: the upload could not be written ({ErrorType}).", stow.CorrelationId, number, ex.GetType().Name);
                    results.Add(StowInstanceResult.Failed(StowPartIdentity.Unknown, StowStatusCodes.ProcessingFailure, "storage-unavailable"));
                    await RespondAsync(context, results, stow, StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (PayloadTooLargeException ex)
        {
            _logger.LogWarning("StowRs {CorrelationId}: {Limit} exceeded after {Parts} parts.", stow.CorrelationId, ex.LimitName, results.Count);
            await TooLargeAsync(context, ex, results, stow).ConfigureAwait(false);
            return;
        }
        catch (MultipartFormatException ex)
        {
            _logger.LogWarning("StowRs {CorrelationId}: malformed multipart body after {Parts} parts.", stow.CorrelationId, results.Count);
            await ErrorWithResultsAsync(context, StatusCodes.Status400BadRequest, ex.Message, results, stow).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away: parts already answered are stored; the part in flight was not committed.
            _logger.LogInformation("StowRs {CorrelationId}: the client went away after {Parts} parts.", stow.CorrelationId, results.Count);
            return;
        }
        catch (IOException ex)
        {
            // A transport-level failure of the body (bad chunked encoding, request timeout): nothing of the part in flight is kept.
            _logger.LogWarning("StowRs {CorrelationId}: the request body failed ({ErrorType}) after {Parts} parts.", stow.CorrelationId, ex.GetType().Name, results.Count);
            await ErrorWithResultsAsync(context, StatusCodes.Status400BadRequest, "The request body could not be read to its end.", results, stow).ConfigureAwait(false);
            return;
        }

        if (results.Count == 0)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "malformed-multipart", "The multipart/related body has no parts.").ConfigureAwait(false);
            return;
        }

        var status = StowResponseStatuses.For(results) switch
        {
            StowResponseStatus.AllStored => StatusCodes.Status200OK,
            StowResponseStatus.StoredWithWarningsOrFailures => StatusCodes.Status202Accepted,
            _ => StatusCodes.Status409Conflict,
        };
        _logger.LogInformation("StowRs {CorrelationId}: {Status} ({Stored} stored, {Failed} failed).", stow.CorrelationId, status, results.Count(r => r.Stored), results.Count(r => !r.Stored));
        await RespondAsync(context, results, stow, status).ConfigureAwait(false);
    }

    private static bool IsStorageFailure(Exception ex) =>
        ex is CloudArchive.Azure.Storage.StorageRequestException or global::Azure.RequestFailedException or HttpRequestException
        || (ex is OperationCanceledException && ex is not TaskCanceledException { CancellationToken.IsCancellationRequested: true });

    private static async Task RespondAsync(HttpContext context, IReadOnlyList<StowInstanceResult> results, StowRequestContext stow, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = StoreInstancesResponseWriter.MediaType;
        response.Headers.CacheControl = "no-store";
        await StoreInstancesResponseWriter.WriteAsync(response.Body, results, ServiceRoot(context.Request), stow.TargetStudyInstanceUid, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task TooLargeAsync(HttpContext context, PayloadTooLargeException ex, IReadOnlyList<StowInstanceResult>? results = null, StowRequestContext? stow = null) =>
        results is { Count: > 0 } && stow is not null
            ? RespondAsync(context, results, stow, StatusCodes.Status413PayloadTooLarge)
            : ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "payload-too-large", ex.Message);

    private static Task ErrorWithResultsAsync(HttpContext context, int status, string message, IReadOnlyList<StowInstanceResult> results, StowRequestContext stow) =>
        results.Count > 0 ? RespondAsync(context, results, stow, status) : ErrorAsync(context, status, "malformed-multipart", message);

    /// <summary>The service root of the request, e.g. <c>http://host/api/dicomweb</c>: everything before <c>/studies</c>.</summary>
    private static string ServiceRoot(HttpRequest request)
    {
        var path = (request.PathBase + request.Path).Value ?? string.Empty;
        var studies = path.LastIndexOf("/studies", StringComparison.Ordinal);
        return $"{request.Scheme}://{request.Host}{(studies >= 0 ? path[..studies] : path)}";
    }

    /// <summary>The segment after <c>/studies/</c>, or null for a path ending in <c>/studies</c>.</summary>
    internal static string? StudyOfPath(string? path)
    {
        var value = (path ?? string.Empty).TrimEnd('/');
        var studies = value.LastIndexOf("/studies", StringComparison.Ordinal);
        if (studies < 0 || studies + "/studies".Length == value.Length)
        {
            return null;
        }

        return Uri.UnescapeDataString(value[(studies + "/studies/".Length)..]);
    }

    private static bool AcceptsDicomJson(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return true;
        }

        return Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParseList(accept, out var values)
            && values.Any(v => v.MediaType.Value is { } type
                && (type.Equals(StoreInstancesResponseWriter.MediaType, StringComparison.OrdinalIgnoreCase)
                    || type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                    || type.Equals("application/*", StringComparison.OrdinalIgnoreCase)
                    || type.Equals("*/*", StringComparison.OrdinalIgnoreCase)));
    }

    private async Task AuditDenialAsync(AuditActor actor, string correlationId)
    {
        using var timeout = new CancellationTokenSource(DenialAuditTimeout);
        try
        {
            await _audit.AppendAsync(new AuditEvent
            {
                EventType = AuditEventType.SecurityAlert,
                Action = AuditAction.Create,
                Outcome = AuditOutcome.MinorFailure,
                Actor = actor,
                CorrelationId = correlationId,
                Details = ["stow", StowAccessPolicy.MissingRoleCode],
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError("StowRs {CorrelationId}: the refusal audit line could not be written ({ErrorType}).", correlationId, ex.GetType().Name);
        }
    }

    private static AuditActor Actor(ArchivePrincipal principal, System.Net.IPAddress? clientIp)
    {
        try
        {
            return new AuditActor(principal.ObjectId, principal.Upn, AuditApp, AuditRole, isRequestor: true, clientIp);
        }
        catch (ArgumentException)
        {
            return new AuditActor(principal.ObjectId, null, AuditApp, AuditRole, isRequestor: true, clientIp);
        }
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        json.WriteString("error", code);
        json.WriteString("message", message);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
