namespace CloudArchive.Deidentification;

/// <summary>One line of an instance report. Carries the tag path and the rule, never a value.</summary>
/// <param name="Path">Tag path, e.g. <c>(0008,1140)[0](0008,1155)</c>.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Code">The action code applied (e.g. <c>X/Z/D</c>).</param>
/// <param name="Source">Where the code came from (<c>basic</c>, an option key, an override, or a fallback rule).</param>
/// <param name="Note">Extra explanation (e.g. a private creator name or why a value could not be kept); never a value.</param>
public sealed record AttributeRecord(string Path, AttributeOutcome Outcome, string Code, string Source, string? Note = null);
