using System.Text.Json;

namespace CloudArchive.Research.Agreements;

/// <summary>
/// How research copies of an agreement are de-identified. The profile document is embedded in the agreement when it is
/// created, so an export never depends on files present on the function host and the agreement records exactly what
/// was applied for as long as it is kept.
/// </summary>
public sealed record AgreementDeidentification
{
    /// <summary>A name for the profile (from the profile document, or <c>basic</c>).</summary>
    public string ProfileName { get; init; } = "basic";

    /// <summary>The profile document (<c>data/deid/*.profile.json</c> schema), or null for the Basic Profile alone.</summary>
    public JsonElement? Profile { get; init; }

    /// <summary>PS3.15 options added on top of the profile's, by their keys (e.g. <c>retainLongitudinalModifiedDates</c>).</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}
