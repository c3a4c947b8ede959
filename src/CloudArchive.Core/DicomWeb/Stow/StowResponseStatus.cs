namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>The overall result of a STOW-RS request (PS3.18 §10.5.3): the HTTP host maps it to 200, 202 or 409.</summary>
public enum StowResponseStatus
{
    /// <summary>Every instance stored without a warning (200).</summary>
    AllStored,

    /// <summary>Some instances stored, with warnings or with others failed (202).</summary>
    StoredWithWarningsOrFailures,

    /// <summary>No instance stored (409).</summary>
    NoneStored,
}
