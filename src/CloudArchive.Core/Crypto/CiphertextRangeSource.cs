namespace CloudArchive.Core.Crypto;

/// <summary>
/// Opens a stream over <paramref name="length"/> ciphertext bytes starting at <paramref name="offset"/> of a blob
/// (for example a ranged Get Blob). Keeps Core free of HTTP.
/// </summary>
public delegate Task<Stream> CiphertextRangeSource(long offset, long length, CancellationToken cancellationToken);
