namespace CloudArchive.Dicom.Tests.Oracle;

/// <summary>What is being compared with a golden, which decides the (documented) allowances.</summary>
public enum GoldenComparison
{
    /// <summary>The reader's view of the sample itself: no allowance beyond tools/oracles/README.md.</summary>
    Read,

    /// <summary>
    /// A copy written by the project's writer in an explicit VR syntax: odd values may gain a NUL pad, and
    /// dataset group lengths (gggg,0000) are compared by presence only (the writer recomputes them).
    /// </summary>
    WrittenExplicit,

    /// <summary>
    /// A copy written in implicit VR: also, private values come back as UN and are compared by presence
    /// only, and OB/OW may swap (implicit VR has no VR; 8-bit icon pixel data is re-inferred as OB by this
    /// reader and by pydicom, as OW by DCMTK), the bytes still being compared.
    /// </summary>
    WrittenImplicit,
}
