namespace CloudArchive.Research.Agreements;

/// <summary>An agreement as read from the store, with the ETag to replace it under optimistic concurrency.</summary>
/// <param name="Agreement">The agreement.</param>
/// <param name="ETag">The stored version.</param>
public sealed record StoredAgreement(DataSharingAgreement Agreement, string ETag);
