using System.Globalization;
using CloudArchive.Core.Identity;
using CloudArchive.Research.Access;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Functions.Research;

/// <summary>
/// The researcher API's listings as JSON: the caller's agreements, and an agreement's studies, series and instances.
/// Each is audited before it is answered; an empty listing below an agreement answers 404.
/// </summary>
internal sealed class ResearchListings(IAgreementStore agreementStore, ResearchCatalog catalog, ResearchApiAudit audit, TimeProvider time)
{
    /// <summary>Lists the agreements the research access policy shows the caller now.</summary>
    public async Task ListAgreementsAsync(HttpContext context, ArchivePrincipal principal, ResearchRequestState state)
    {
        var now = time.GetUtcNow();
        var agreements = new List<AgreementView>();
        await foreach (var stored in agreementStore.ListAsync(context.RequestAborted).ConfigureAwait(false))
        {
            var a = stored.Agreement;
            if (ResearchAccessPolicy.IsListed(principal, a, now))
            {
                agreements.Add(new AgreementView(a.Id, a.Title, a.PurposeOfUse, a.ValidFrom, a.ValidUntil));
            }
        }

        var details = new[] { "list-agreements", string.Create(CultureInfo.InvariantCulture, $"count={agreements.Count}") };
        if (await audit.ListedAgreementsAsync(context, state, details).ConfigureAwait(false))
        {
            await ResearchApiResponse.WriteJsonAsync(context, StatusCodes.Status200OK, new { agreements }).ConfigureAwait(false);
        }
    }

    /// <summary>Answers a listing route below an agreement (studies, a study's series or instances, a series' instances).</summary>
    public async Task ListAsync(ResearchAccess access, ResearchRoute route)
    {
        var id = access.Agreement.Id;
        var aborted = access.Context.RequestAborted;
        switch (route.Kind)
        {
            case ResearchRouteKind.ListStudies:
                var studies = await catalog.ListStudiesAsync(id, aborted).ConfigureAwait(false);
                await audit.ListedAsync(access, "list-studies", new { agreementId = id, studies }).ConfigureAwait(false);
                break;
            case ResearchRouteKind.ListSeries:
                var series = await catalog.ListSeriesAsync(id, route.StudyUid!, aborted).ConfigureAwait(false);
                await (series.Count == 0
                    ? audit.NotFoundAsync(access, "list-series")
                    : audit.ListedAsync(access, "list-series", new { agreementId = id, studyInstanceUid = route.StudyUid, series })).ConfigureAwait(false);
                break;
            case ResearchRouteKind.ListInstances:
                var instances = await catalog.ListSeriesInstancesAsync(id, route.StudyUid!, route.SeriesUid!, aborted).ConfigureAwait(false);
                await (instances.Count == 0
                    ? audit.NotFoundAsync(access, "list-instances")
                    : audit.ListedAsync(access, "list-instances", new { agreementId = id, studyInstanceUid = route.StudyUid, seriesInstanceUid = route.SeriesUid, instances })).ConfigureAwait(false);
                break;
            case ResearchRouteKind.ListStudyInstances:
                var studyInstances = await catalog.ListStudyInstancesAsync(id, route.StudyUid!, aborted).ConfigureAwait(false);
                await (studyInstances.Count == 0
                    ? audit.NotFoundAsync(access, "list-study-instances")
                    : audit.ListedAsync(access, "list-study-instances", new { agreementId = id, studyInstanceUid = route.StudyUid, instances = studyInstances })).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException("Unhandled route kind.");
        }
    }
}
