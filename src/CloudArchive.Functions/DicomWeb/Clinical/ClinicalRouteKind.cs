namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>The resources of the clinical DICOMweb root.</summary>
public enum ClinicalRouteKind
{
    /// <summary>QIDO-RS: <c>studies</c>.</summary>
    SearchStudies,

    /// <summary>QIDO-RS: <c>series</c> or <c>studies/{study}/series</c>.</summary>
    SearchSeries,

    /// <summary>QIDO-RS: <c>instances</c>, <c>studies/{study}/instances</c> or <c>studies/{study}/series/{series}/instances</c>.</summary>
    SearchInstances,

    /// <summary>WADO-RS: <c>studies/{study}</c>.</summary>
    RetrieveStudy,

    /// <summary>WADO-RS: <c>studies/{study}/series/{series}</c>.</summary>
    RetrieveSeries,

    /// <summary>WADO-RS: <c>studies/{study}/series/{series}/instances/{instance}</c>.</summary>
    RetrieveInstance,

    /// <summary>WADO-RS: <c>.../metadata</c> of a study, series or instance.</summary>
    Metadata,

    /// <summary>WADO-RS: <c>.../instances/{instance}/frames/{list}</c>.</summary>
    Frames,

    /// <summary>WADO-RS: <c>.../instances/{instance}/bulkdata/{path}</c> (the BulkDataURIs of the metadata).</summary>
    BulkData,
}
