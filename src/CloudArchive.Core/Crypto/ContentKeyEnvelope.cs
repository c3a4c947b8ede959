using System.Security.Cryptography;
using System.Text;
using Azure.Core.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// Wraps and unwraps the content-encryption key with its 8-byte protocol prefix
/// (UTF-8 protocol, NUL-padded to 8 bytes, then the 32-byte CEK), as every CSE v2 SDK does.
/// </summary>
internal static class ContentKeyEnvelope
{
    internal static async Task<byte[]> WrapAsync(IKeyEncryptionKey kek, string algorithm, string protocol, ReadOnlyMemory<byte> cek, CancellationToken cancellationToken)
    {
        var plain = new byte[CseFormat.WrappedVersionLength + CseFormat.ContentKeyLength];
        try
        {
            Encoding.UTF8.GetBytes(protocol, plain.AsSpan(0, CseFormat.WrappedVersionLength));
            cek.Span.CopyTo(plain.AsSpan(CseFormat.WrappedVersionLength));
            return await kek.WrapKeyAsync(algorithm, plain, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Resolves the key, unwraps, checks the prefix and returns the 32-byte CEK (caller zeroes it).</summary>
    internal static async Task<byte[]> UnwrapAsync(IKeyEncryptionKeyResolver resolver, EncryptionData data, CancellationToken cancellationToken)
    {
        var wck = data.WrappedContentKey;
        IKeyEncryptionKey? kek;
        try
        {
            kek = await resolver.ResolveAsync(wck.KeyId, cancellationToken).ConfigureAwait(false);
        }
        catch (EnvelopeDecryptionException)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or ArgumentException or InvalidOperationException)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.KeyNotFound, "No key-encryption key could be resolved for the blob's key id.", keyId: wck.KeyId, innerException: ex);
        }

        if (kek is null)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.KeyNotFound, "No key-encryption key could be resolved for the blob's key id.", keyId: wck.KeyId);
        }

        byte[] plain;
        try
        {
            plain = await kek.UnwrapKeyAsync(wck.Algorithm, wck.EncryptedKey, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyUnwrapException ex)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.WrongKey, "The content key did not unwrap under the resolved key (altered wrapped key or wrong key).", keyId: wck.KeyId, innerException: ex);
        }
        catch (EnvelopeDecryptionException)
        {
            throw;
        }
        catch (NotSupportedException ex)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.ProtocolMismatch, $"The resolved key does not support the recorded key-wrap algorithm '{wck.Algorithm}'.", keyId: wck.KeyId, innerException: ex);
        }
        catch (CryptographicException ex)
        {
            throw new EnvelopeDecryptionException(EnvelopeFailureReason.WrongKey, "The content key did not unwrap under the resolved key (altered wrapped key or wrong key).", keyId: wck.KeyId, innerException: ex);
        }
        finally
        {
            if (kek is SymmetricKeyEncryptionKey { DisposeAfterUnwrap: true } single)
            {
                single.Dispose();
            }
        }

        try
        {
            if (plain.Length != CseFormat.WrappedVersionLength + CseFormat.ContentKeyLength)
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.ProtocolMismatch, "The unwrapped content key has the wrong length for protocol 2.x.", keyId: wck.KeyId);
            }

            var prefix = Encoding.UTF8.GetString(plain, 0, CseFormat.WrappedVersionLength).TrimEnd('\0');
            if (!string.Equals(prefix, data.Protocol, StringComparison.Ordinal))
            {
                throw new EnvelopeDecryptionException(EnvelopeFailureReason.ProtocolMismatch, "Mismatched encryption data: the wrapped key's protocol prefix differs from EncryptionAgent.Protocol.", keyId: wck.KeyId);
            }

            return plain.AsSpan(CseFormat.WrappedVersionLength).ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
