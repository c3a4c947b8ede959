namespace CloudArchive.Core.Crypto;

/// <summary>Why an envelope-encrypted blob could not be decrypted. Every value means "fail closed".</summary>
public enum EnvelopeFailureReason
{
    /// <summary>A region's GCM tag did not verify: the ciphertext, nonce or tag was altered, or the content key is wrong.</summary>
    Tampered,

    /// <summary>A region's stored nonce is not the one its position requires (regions reordered, duplicated or spliced).</summary>
    RegionOutOfOrder,

    /// <summary>The ciphertext is shorter than the recorded plaintext length implies (cut at or inside a region).</summary>
    Truncated,

    /// <summary>The ciphertext is longer than the recorded plaintext length implies (bytes appended).</summary>
    TrailingData,

    /// <summary>The protocol in <c>encryptiondata</c> is not supported, or the unwrapped key's version prefix disagrees with it.</summary>
    ProtocolMismatch,

    /// <summary>Required metadata (<c>encryptiondata</c>, <c>ca_plainlength</c> or <c>ca_envelopemac</c>) is absent, or <c>encryptiondata</c> or <c>ca_plainlength</c> is malformed.</summary>
    MissingMetadata,

    /// <summary>The key named by the blob's key id is not known to any resolver.</summary>
    KeyNotFound,

    /// <summary>The study key was crypto-shredded: the data is unrecoverable by design.</summary>
    KeyDestroyed,

    /// <summary>The wrapped content key did not unwrap under the resolved key (integrity check failed).</summary>
    WrongKey,

    /// <summary>
    /// <c>ca_envelopemac</c> does not match the blob's name, <c>ca_plainlength</c> and <c>encryptiondata</c> under its
    /// content key: the metadata was edited (e.g. the length lowered after the last region was cut) or the blob was
    /// copied under another name.
    /// </summary>
    MetadataTampered,
}
