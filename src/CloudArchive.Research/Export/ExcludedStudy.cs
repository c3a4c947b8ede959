namespace CloudArchive.Research.Export;

/// <summary>An archive study left out of an agreement's output, for the administrators' manifest.</summary>
/// <param name="StudyKey">The opaque study key.</param>
/// <param name="Reason">The exclusion reason code (kebab-case <see cref="ExclusionReason"/>).</param>
public sealed record ExcludedStudy(string StudyKey, string Reason);
