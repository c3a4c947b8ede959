namespace CloudArchive.Core.Crypto;

/// <summary>The <c>WrappedContentKey</c> object of <c>encryptiondata</c>.</summary>
/// <param name="KeyId">Id of the key-encryption key that wrapped the CEK (for us, the study key id).</param>
/// <param name="EncryptedKey">The wrapped bytes (version prefix + CEK); serialized as standard base64.</param>
/// <param name="Algorithm">The key-wrap algorithm name passed to <c>WrapKey</c> (for us <c>A256KW</c>).</param>
public sealed record WrappedContentKey(string KeyId, byte[] EncryptedKey, string Algorithm);
