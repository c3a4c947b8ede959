using CloudArchive.Research.DicomWeb;

namespace CloudArchive.Functions.DicomWeb.Research;

/// <summary>One authorized research DICOMweb request: the HTTP exchange, the agreement, the parsed route and the audit sink.</summary>
/// <param name="Context">The HTTP exchange.</param>
/// <param name="AgreementId">The agreement (access already granted by Core's research access policy).</param>
/// <param name="Route">The resource.</param>
/// <param name="Audit">Writes the request's audit line.</param>
public sealed record ResearchDicomWebRequest(HttpContext Context, string AgreementId, ResearchDicomWebRoute Route, ResearchDicomWebAudit Audit)
{
    /// <summary>The service root URL (<c>{scheme}://{host}/api/research/agreements/{id}/dicomweb</c>).</summary>
    public string ServiceRoot => $"{Context.Request.Scheme}://{Context.Request.Host}/api/research/agreements/{AgreementId}/dicomweb";

    /// <summary>The WADO-RS URL of an instance.</summary>
    public string InstanceUrl(ResearchDicomIndexEntry e) => $"{ServiceRoot}/studies/{e.StudyUid}/series/{e.SeriesUid}/instances/{e.InstanceUid}";

    /// <summary>The cancellation token of the request.</summary>
    public CancellationToken Aborted => Context.RequestAborted;
}
