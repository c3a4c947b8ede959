namespace CloudArchive.Deidentification;

/// <summary>The action chosen for one attribute and why (for the report; never carries a value).</summary>
/// <param name="Action">The single action to apply.</param>
/// <param name="Code">The code it came from, as printed in the table or profile (e.g. <c>X/Z/D</c>, <c>K</c>).</param>
/// <param name="Source">Where the code came from: <c>basic</c>, an option key, <c>override</c>, or a fallback rule name.</param>
public readonly record struct ResolvedAction(DeidAction Action, string Code, string Source);
