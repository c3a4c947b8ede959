namespace CloudArchive.Core.Keys;

/// <summary>A keyring entry's bytes and the ETag to use for a conditional replace.</summary>
/// <param name="Content">The JSON bytes.</param>
/// <param name="ETag">The store's opaque version tag.</param>
public sealed record KeyringDocument(byte[] Content, string ETag);
