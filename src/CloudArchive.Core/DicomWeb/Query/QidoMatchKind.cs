namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>The C-FIND matching types (PS3.4 C.2.2.2) a QIDO-RS key can ask for.</summary>
public enum QidoMatchKind
{
    /// <summary>Empty value: every entity matches, and the attribute is returned.</summary>
    Universal,

    /// <summary>The value must equal one stored value (PN: case-insensitive).</summary>
    SingleValue,

    /// <summary><c>*</c> and <c>?</c> wildcards (not for DA, TM, DT, UI or numbers).</summary>
    Wildcard,

    /// <summary>A list of values (UIDs, or code strings), separated by <c>\</c> or <c>,</c>; any of them matches.</summary>
    List,

    /// <summary>A DA, TM or DT range <c>a-b</c>, <c>a-</c> or <c>-b</c> (inclusive).</summary>
    Range,
}
