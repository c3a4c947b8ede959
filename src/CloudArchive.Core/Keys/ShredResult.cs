namespace CloudArchive.Core.Keys;

/// <summary>Outcome of a shred.</summary>
/// <param name="StudyKey">The opaque study key.</param>
/// <param name="KeyExisted">False when there was no key to destroy (already shredded or never created); the shred is still recorded.</param>
/// <param name="ShreddedAt">When the key was destroyed.</param>
public sealed record ShredResult(string StudyKey, bool KeyExisted, DateTimeOffset ShreddedAt);
