namespace CloudArchive.Core.Crypto;

/// <summary>
/// The parsed <c>encryptiondata</c> metadata of a client-side-encrypted blob (Azure Storage CSE v2.x).
/// </summary>
/// <param name="EncryptionMode">Always <c>FullBlob</c> for blobs.</param>
/// <param name="WrappedContentKey">The wrapped content-encryption key.</param>
/// <param name="Protocol"><c>EncryptionAgent.Protocol</c>: "2.0" or "2.1".</param>
/// <param name="EncryptionAlgorithm"><c>EncryptionAgent.EncryptionAlgorithm</c>: <c>AES_GCM_256</c>.</param>
/// <param name="RegionLength"><c>EncryptedRegionInfo.DataLength</c>: plaintext bytes per region.</param>
/// <param name="NonceLength"><c>EncryptedRegionInfo.NonceLength</c>: 12.</param>
/// <param name="EncryptionLibrary"><c>KeyWrappingMetadata.EncryptionLibrary</c>, informational.</param>
public sealed record EncryptionData(
    string EncryptionMode,
    WrappedContentKey WrappedContentKey,
    string Protocol,
    string EncryptionAlgorithm,
    int RegionLength,
    int NonceLength,
    string? EncryptionLibrary);
