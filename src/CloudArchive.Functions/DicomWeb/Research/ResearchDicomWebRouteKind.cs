namespace CloudArchive.Functions.DicomWeb.Research;

/// <summary>The research DICOMweb resources (below <c>.../agreements/{id}/dicomweb</c>).</summary>
public enum ResearchDicomWebRouteKind
{
    /// <summary>QIDO-RS: <c>/studies</c>.</summary>
    SearchStudies,

    /// <summary>QIDO-RS: <c>/series</c>, <c>/studies/{s}/series</c>.</summary>
    SearchSeries,

    /// <summary>QIDO-RS: <c>/instances</c>, <c>/studies/{s}/instances</c>, <c>/studies/{s}/series/{se}/instances</c>.</summary>
    SearchInstances,

    /// <summary>WADO-RS: <c>/studies/{s}</c>, <c>/studies/{s}/series/{se}</c>, <c>/studies/{s}/series/{se}/instances/{i}</c>.</summary>
    Retrieve,

    /// <summary>WADO-RS: <c>.../metadata</c> at each of those levels.</summary>
    Metadata,

    /// <summary>WADO-RS: <c>.../instances/{i}/frames/{list}</c>.</summary>
    Frames,

    /// <summary>WADO-RS: <c>.../instances/{i}/bulkdata/{path}</c> (the BulkDataURIs of the metadata).</summary>
    Bulkdata,
}
