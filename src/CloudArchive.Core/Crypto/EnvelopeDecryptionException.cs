using System.Security.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// Decryption of an envelope-encrypted blob failed and no plaintext from the failing region was released.
/// Messages name the reason, region and key id only; they never carry key bytes or plaintext.
/// </summary>
public sealed class EnvelopeDecryptionException : CryptographicException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">The failure class.</param>
    /// <param name="message">A human-readable explanation free of secrets.</param>
    /// <param name="regionIndex">The region being processed, when the failure is tied to one.</param>
    /// <param name="keyId">The key id involved, when known (key ids are not secret).</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public EnvelopeDecryptionException(EnvelopeFailureReason reason, string message, long? regionIndex = null, string? keyId = null, Exception? innerException = null)
        : base(Format(reason, message, regionIndex, keyId), innerException)
    {
        Reason = reason;
        RegionIndex = regionIndex;
        KeyId = keyId;
    }

    /// <summary>The failure class.</summary>
    public EnvelopeFailureReason Reason { get; }

    /// <summary>The zero-based region index the failure concerns, if any.</summary>
    public long? RegionIndex { get; }

    /// <summary>The key id involved, if any.</summary>
    public string? KeyId { get; }

    private static string Format(EnvelopeFailureReason reason, string message, long? regionIndex, string? keyId)
    {
        var text = $"Envelope decryption failed ({reason}): {message}";
        if (regionIndex is { } r)
        {
            text += $" [region {r}]";
        }

        if (keyId is not null)
        {
            text += $" [key {keyId}]";
        }

        return text;
    }
}
