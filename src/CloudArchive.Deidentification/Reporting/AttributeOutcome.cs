namespace CloudArchive.Deidentification;

/// <summary>What happened to one attribute.</summary>
public enum AttributeOutcome
{
    /// <summary>Removed from the dataset.</summary>
    Removed,

    /// <summary>Kept with a zero-length value (a sequence kept with no items).</summary>
    Emptied,

    /// <summary>Value replaced (dummy, pseudonym, mapped UID, shifted date).</summary>
    Replaced,

    /// <summary>Kept unchanged.</summary>
    Kept,

    /// <summary>Kept with identifying content masked.</summary>
    Cleaned,

    /// <summary>Added by the de-identifier (marking attributes).</summary>
    Added,
}
