namespace CloudArchive.Core.Audit.Seals;

/// <summary>One log blob as a seal recorded it.</summary>
/// <param name="Name">The blob name (<c>log/{yyyy}/{MM}/{dd}/{HH}/{writerId}.jsonl</c>: no uploader-chosen text).</param>
/// <param name="Lines">How many lines it held.</param>
/// <param name="Bytes">Its length in bytes.</param>
/// <param name="Root">The RFC 6962 Merkle root over its lines alone (lowercase hex), so a verifier can name the blob that changed.</param>
public sealed record AuditSealBlob(string Name, long Lines, long Bytes, string Root);
