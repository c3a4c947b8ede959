namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>The outcome of resolving a WADO-RS target (study, series or instance) in the original archive.</summary>
public enum ClinicalSelectionStatus
{
    /// <summary>At least one instance was found.</summary>
    Found,

    /// <summary>Nothing is archived under that target (404).</summary>
    NotFound,

    /// <summary>The study was crypto-shredded (410 Gone).</summary>
    Gone,
}
