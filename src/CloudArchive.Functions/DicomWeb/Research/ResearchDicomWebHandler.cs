using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Functions.DicomWeb.Http;
using CloudArchive.Research.DicomWeb;

namespace CloudArchive.Functions.DicomWeb.Research;

/// <summary>
/// Research DICOMweb (<c>/api/research/agreements/{id}/dicomweb/...</c>), called by the research API's handler after it
/// has authenticated, rate-limited and authorized the request (docs/dicomweb/research.md). This class answers
/// QIDO-RS searches; <see cref="ResearchWadoResponder"/> answers WADO-RS. Searches are audited as 110112 Query,
/// retrievals as 110103, before any result is sent; refusals of well-formed but unanswerable requests (400, 404, 406)
/// are audited with a minor failure.
/// </summary>
public sealed class ResearchDicomWebHandler
{
    /// <summary>The Warning PS3.18 8.3.4.2 prescribes when fuzzy matching is asked for and not performed.</summary>
    public const string FuzzyWarning = "299 CloudArchive: The fuzzymatching parameter is not supported. Only literal matching has been performed.";

    /// <summary>The Warning PS3.18 8.3.4.4 prescribes when more results matched than the response holds.</summary>
    public const string MoreResultsWarning = "299 CloudArchive: The number of results exceeded the maximum supported by the server. Additional results can be requested.";

    private readonly ResearchDicomWebService _service;
    private readonly ResearchWadoResponder _wado;
    private readonly QidoQueryLimits _limits;

    /// <summary>Creates the handler.</summary>
    public ResearchDicomWebHandler(ResearchDicomWebService service, QidoQueryLimits limits, ILogger logger)
    {
        _service = service ?? throw new ArgumentNullException(nameof(service));
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
        _wado = new ResearchWadoResponder(service, logger ?? throw new ArgumentNullException(nameof(logger)));
    }

    /// <summary>Answers one authorized request.</summary>
    public Task HandleAsync(ResearchDicomWebRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Route.Kind switch
        {
            ResearchDicomWebRouteKind.SearchStudies => SearchAsync(request, QidoLevel.Study),
            ResearchDicomWebRouteKind.SearchSeries => SearchAsync(request, QidoLevel.Series),
            ResearchDicomWebRouteKind.SearchInstances => SearchAsync(request, QidoLevel.Instance),
            _ => _wado.RespondAsync(request),
        };
    }

    /// <summary>Writes a JSON error body (<c>{"error": code, "message": text}</c>), the research API's error shape.</summary>
    internal static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("error", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Audits a refusal and, when that worked, answers it.</summary>
    internal static async Task RefuseAsync(ResearchDicomWebRequest request, AuditEventType type, string operation, int status, string code, string message)
    {
        if (await request.Audit(type, AuditOutcome.MinorFailure, null, operation, code).ConfigureAwait(false))
        {
            await ErrorAsync(request.Context, status, code, message).ConfigureAwait(false);
        }
    }

    private async Task SearchAsync(ResearchDicomWebRequest request, QidoLevel level)
    {
        var context = request.Context;
        var route = request.Route;
        var operation = "qido-" + level.ToString().ToLowerInvariant();
        if (DicomWebNegotiation.Negotiate(context.Request.Headers.Accept, [DicomWebRepresentation.DicomJson]) is null)
        {
            await RefuseAsync(request, AuditEventType.Query, operation, StatusCodes.Status406NotAcceptable, "not-acceptable", "Search results are application/dicom+json.").ConfigureAwait(false);
            return;
        }

        QidoQuery query;
        try
        {
            var parameters = context.Request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? string.Empty)));
            query = QidoQueryParser.Parse(level, route.StudyUid, route.SeriesUid, parameters, _limits);
        }
        catch (QidoQueryException ex)
        {
            await RefuseAsync(request, AuditEventType.Query, operation, StatusCodes.Status400BadRequest, "bad-query", ex.Message).ConfigureAwait(false);
            return;
        }

        var page = await _service.SearchAsync(request.AgreementId, query, (e, l) => RetrieveUrl(request, e, l), request.Aborted).ConfigureAwait(false);
        if (!await request.Audit(AuditEventType.Query, AuditOutcome.Success, null, operation, "results=" + page.Results.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false))
        {
            return;
        }

        var response = context.Response;
        if (query.FuzzyMatchingRequested)
        {
            response.Headers.Append("Warning", FuzzyWarning);
        }

        if (page.More)
        {
            response.Headers.Append("Warning", MoreResultsWarning);
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/dicom+json";
        response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(response.Body);
        await QidoResponseWriter.WriteAsync(writer, query, page.Results, request.Aborted).ConfigureAwait(false);
    }

    private static string RetrieveUrl(ResearchDicomWebRequest request, ResearchDicomIndexEntry e, QidoLevel level) => level switch
    {
        QidoLevel.Study => $"{request.ServiceRoot}/studies/{e.StudyUid}",
        QidoLevel.Series => $"{request.ServiceRoot}/studies/{e.StudyUid}/series/{e.SeriesUid}",
        _ => request.InstanceUrl(e),
    };
}
