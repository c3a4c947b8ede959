namespace CloudArchive.Deidentification;

/// <summary>The overall result for one instance.</summary>
public enum InstanceOutcome
{
    /// <summary>A de-identified instance was produced.</summary>
    Deidentified,

    /// <summary>The pixel policy refused the instance; no output was written.</summary>
    Refused,

    /// <summary>The instance could not be processed; no output was written.</summary>
    Failed,
}
