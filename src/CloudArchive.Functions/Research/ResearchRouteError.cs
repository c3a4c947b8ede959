namespace CloudArchive.Functions.Research;

/// <summary>Why a researcher API path did not parse.</summary>
public enum ResearchRouteError
{
    /// <summary>It parsed.</summary>
    None,

    /// <summary>No route has this shape (404).</summary>
    NotFound,

    /// <summary>A route has this shape but an agreement id or UID is malformed (400).</summary>
    InvalidIdentifier,
}
