namespace CloudArchive.Core.Ingest;

/// <summary>The validated UIDs of an upload, and which File Meta UIDs disagree with them (<see cref="MetaRepairs"/> codes).</summary>
internal sealed record InstanceUids(string SopClassUid, string SopInstanceUid, string StudyInstanceUid, string SeriesInstanceUid, IReadOnlyList<string> MetaRepairs);
