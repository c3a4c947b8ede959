namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>A version-level immutability policy: the blob cannot be changed or deleted before <see cref="ExpiresOn"/>.</summary>
/// <param name="ExpiresOn">When the retention ends (sent as RFC 1123, so whole seconds).</param>
/// <param name="Mode">Unlocked or locked.</param>
public sealed record BlobImmutabilityPolicy(DateTimeOffset ExpiresOn, BlobImmutabilityMode Mode);
