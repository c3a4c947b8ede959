namespace CloudArchive.Functions.Research;

/// <summary>The researcher API's operations.</summary>
public enum ResearchRouteKind
{
    /// <summary><c>GET /api/research/agreements</c>.</summary>
    ListAgreements,

    /// <summary><c>GET .../agreements/{id}/studies</c>.</summary>
    ListStudies,

    /// <summary><c>GET .../studies/{study}</c> (with <c>Accept: application/zip</c>).</summary>
    RetrieveStudy,

    /// <summary><c>GET .../studies/{study}/archive.zip</c>.</summary>
    StudyArchive,

    /// <summary><c>GET .../studies/{study}/series</c>.</summary>
    ListSeries,

    /// <summary><c>GET .../series/{series}/instances</c>.</summary>
    ListInstances,

    /// <summary><c>GET .../studies/{study}/instances</c> (every instance of the study, with its series).</summary>
    ListStudyInstances,

    /// <summary><c>GET .../instances/{instance}</c>.</summary>
    RetrieveInstance,

    /// <summary><c>GET .../agreements/{id}/dicomweb/...</c>: the agreement's DICOMweb service root (QIDO-RS, WADO-RS).</summary>
    DicomWeb,
}
