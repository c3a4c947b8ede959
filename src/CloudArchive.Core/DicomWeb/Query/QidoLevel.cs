namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>The query/retrieve level a QIDO-RS search returns (PS3.18 10.6: SearchForStudies, Series, Instances).</summary>
public enum QidoLevel
{
    /// <summary>One result per study.</summary>
    Study,

    /// <summary>One result per series.</summary>
    Series,

    /// <summary>One result per instance.</summary>
    Instance,
}
