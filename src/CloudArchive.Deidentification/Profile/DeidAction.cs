namespace CloudArchive.Deidentification;

/// <summary>
/// The single action applied to one attribute after the compound codes of PS3.15 Table E.1-1 and the option columns
/// have been resolved (see <see cref="ActionResolver"/>).
/// </summary>
public enum DeidAction
{
    /// <summary>K: keep the value; a sequence is kept and the profile is applied recursively to its items.</summary>
    Keep,

    /// <summary>X: remove the attribute.</summary>
    Remove,

    /// <summary>Z: keep the attribute with a zero-length value (a sequence keeps no items).</summary>
    Empty,

    /// <summary>D: replace with a non-zero-length dummy value consistent with the VR (keyed and deterministic).</summary>
    Dummy,

    /// <summary>C: clean, i.e. keep a value of similar meaning with identifying content removed (or dates shifted).</summary>
    Clean,

    /// <summary>U: replace every UID value with its keyed <c>2.25.</c> mapping.</summary>
    ReplaceUid,
}
