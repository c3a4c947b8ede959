using CloudArchive.Core.DicomWeb.Query;

namespace CloudArchive.Research.DicomWeb;

/// <summary>One page of QIDO-RS results.</summary>
/// <param name="Results">The results, in UID order.</param>
/// <param name="More">Matches were left after this page.</param>
public sealed record ResearchQidoPage(IReadOnlyList<QidoResult> Results, bool More);
