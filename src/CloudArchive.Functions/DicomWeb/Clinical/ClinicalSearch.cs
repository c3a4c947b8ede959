using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Clinical;
using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Dicom;
using CloudArchive.Functions.DicomWeb.Http;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// QIDO-RS over the original archive at every level. The query is parsed by the shared QIDO parser (unsupported keys are
/// refused with 400, never ignored); its keyed attributes select instances through Core's <see cref="ClinicalIndex"/>
/// (a query without one is refused: the archive is never listed whole); the other keys are matched on the decrypted
/// index records. Answers <c>application/dicom+json</c>, 204 when nothing matched, after one 110112 line per study.
/// <c>IssuerOfPatientID</c> is accepted beside <c>PatientID</c> (patient pseudonyms are per issuer).
/// </summary>
internal sealed class ClinicalSearch(ClinicalArchive archive, ClinicalAuditor auditor, ClinicalDicomWebOptions options)
{
    public async Task SearchAsync(ClinicalRequest request, ClinicalRoute route)
    {
        var context = request.Context;
        var level = route.Level switch { ClinicalLevel.Study => QidoLevel.Study, ClinicalLevel.Series => QidoLevel.Series, _ => QidoLevel.Instance };
        var operation = "search-" + level.ToString().ToLowerInvariant();
        if (DicomWebNegotiation.Negotiate(context.Request.Headers.Accept, [DicomWebRepresentation.DicomJson]) is null)
        {
            await auditor.RefusedAsync(request, operation, "not-acceptable").ConfigureAwait(false);
            await ClinicalResponses.ErrorAsync(context, StatusCodes.Status406NotAcceptable, "not-acceptable", "Query results are served as application/dicom+json.").ConfigureAwait(false);
            return;
        }

        QidoQuery query;
        ClinicalLookup lookup;
        try
        {
            var parameters = context.Request.Query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty))).ToList();
            var issuer = parameters.Where(p => p.Key is "IssuerOfPatientID" or "00100021").Select(p => p.Value).ToList();
            parameters.RemoveAll(p => p.Key is "IssuerOfPatientID" or "00100021");
            query = QidoQueryParser.Parse(level, route.StudyUid, route.SeriesUid, parameters, new QidoQueryLimits { MaxResults = options.MaxResults });
            lookup = Lookup(query, issuer.Count == 1 ? issuer[0] : issuer.Count == 0 ? null : throw new QidoQueryException("IssuerOfPatientID may be given once."));
        }
        catch (QidoQueryException ex)
        {
            await RefuseQueryAsync(request, operation, "invalid-query", ex.Message).ConfigureAwait(false);
            return;
        }

        if (route.StudyUid is not null)
        {
            var studyKey = await archive.Index.KeyForUidAsync(route.StudyUid, request.Aborted).ConfigureAwait(false);
            if (await archive.Index.GetStudyStateAsync(studyKey, request.Aborted).ConfigureAwait(false) == StudyState.Shredded)
            {
                if (!await auditor.QueryAsync(request, AuditOutcome.MinorFailure, [(studyKey, null)], operation, "study-shredded").ConfigureAwait(false))
                {
                    await ClinicalRetrieve.AuditUnavailableAsync(request).ConfigureAwait(false);
                    return;
                }

                await ClinicalResponses.ErrorAsync(context, StatusCodes.Status410Gone, "study-shredded", "The study was crypto-shredded; it is no longer in the archive.").ConfigureAwait(false);
                return;
            }
        }

        IReadOnlyList<ClinicalIndexEntry> entries;
        try
        {
            entries = await archive.Index.FindAsync(lookup, request.Aborted).ConfigureAwait(false);
        }
        catch (ClinicalQueryRefusedException ex)
        {
            await RefuseQueryAsync(request, operation, ex.Code, ex.Message).ConfigureAwait(false);
            return;
        }

        var entities = ClinicalQidoEntity.Build(level, entries, ClinicalMetadata.RootUri(context.Request)).Where(query.Matches);
        var page = query.Page(entities, out var more);
        var studies = page.GroupBy(e => e.StudyKey).Select(g => (g.Key, g.First().PatientPseudonym)).ToList();
        if (!await auditor.QueryAsync(request, AuditOutcome.Success, studies, operation).ConfigureAwait(false))
        {
            await ClinicalRetrieve.AuditUnavailableAsync(request).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        ClinicalResponses.NoStore(response);
        if (more && query.LimitCapped)
        {
            response.Headers.Append("Warning", "299 CloudArchive: \"There are additional results that can be requested.\"");
        }

        if (query.FuzzyMatchingRequested)
        {
            response.Headers.Append("Warning", "299 CloudArchive: \"The fuzzymatching parameter is not supported. Only literal matching has been performed.\"");
        }

        if (page.Count == 0)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/dicom+json";
        var writer = new Utf8JsonWriter(response.Body);
        await using (writer.ConfigureAwait(false))
        {
            await QidoResponseWriter.WriteAsync(writer, query, page.Select(e => new QidoResult(e, e.RetrieveUrl)), request.Aborted).ConfigureAwait(false);
        }
    }

    /// <summary>The keyed attributes of a parsed query: the path's UIDs, then exact values or UID lists of the keyed matching keys.</summary>
    private static ClinicalLookup Lookup(QidoQuery query, string? issuer)
    {
        IReadOnlyList<string> Exact(DicomTag tag) => query.Conditions
            .Where(c => c.Attribute.Sequence is null && c.Attribute.Tag == tag && c.Kind is QidoMatchKind.SingleValue or QidoMatchKind.List)
            .SelectMany(c => c.Values)
            .ToList();

        return new ClinicalLookup
        {
            StudyInstanceUids = query.StudyInstanceUid is { } study ? [study] : Exact(QidoAttributes.StudyInstanceUid.Tag),
            SeriesInstanceUids = query.SeriesInstanceUid is { } series ? [series] : Exact(QidoAttributes.SeriesInstanceUid.Tag),
            AccessionNumbers = Exact(DicomTags.AccessionNumber),
            PatientIds = Exact(DicomTags.PatientID),
            IssuerOfPatientId = issuer,
        };
    }

    private async Task RefuseQueryAsync(ClinicalRequest request, string operation, string code, string message)
    {
        request.Audited = true;
        await auditor.RefusedAsync(request, operation, code).ConfigureAwait(false);
        await ClinicalResponses.ErrorAsync(request.Context, StatusCodes.Status400BadRequest, code, message).ConfigureAwait(false);
    }
}
