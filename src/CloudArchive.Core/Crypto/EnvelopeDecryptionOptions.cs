namespace CloudArchive.Core.Crypto;

/// <summary>Options for reading CSE v2.x blobs.</summary>
public sealed class EnvelopeDecryptionOptions
{
    /// <summary>
    /// Require <c>ca_plainlength</c> (default true): without it, a blob cut at a region boundary is indistinguishable
    /// from a shorter blob. Set false only to read blobs written by other tools, whose length then comes from the
    /// ciphertext length alone.
    /// </summary>
    public bool RequirePlainLength { get; init; } = true;

    /// <summary>
    /// Require <c>ca_envelopemac</c> (default true): without it, <c>ca_plainlength</c>, <c>encryptiondata</c> and the
    /// blob's name are not authenticated, so a blob cut at a region boundary with its length rewritten, or copied under
    /// another name, would read as valid. Set false only to read blobs written by other tools; a MAC that is present is
    /// verified either way.
    /// </summary>
    public bool RequireEnvelopeMac { get; init; } = true;

    /// <summary>
    /// Accept the nonce layouts written by the .NET and Python SDKs besides ours (default true). Ordering is enforced
    /// either way: a region's nonce must encode its position.
    /// </summary>
    public bool AcceptForeignNonceLayouts { get; init; } = true;
}
