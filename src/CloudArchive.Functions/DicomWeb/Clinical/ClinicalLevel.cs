namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>The query/retrieve level of a clinical request.</summary>
public enum ClinicalLevel
{
    /// <summary>Study level.</summary>
    Study,

    /// <summary>Series level.</summary>
    Series,

    /// <summary>Instance level.</summary>
    Instance,
}
