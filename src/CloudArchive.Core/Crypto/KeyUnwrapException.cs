using System.Security.Cryptography;

namespace CloudArchive.Core.Crypto;

/// <summary>
/// RFC 3394 unwrap failed its integrity check: the wrapped key was altered or the key-encryption key is wrong.
/// </summary>
public sealed class KeyUnwrapException : CryptographicException
{
    /// <summary>Creates the exception with a secret-free message.</summary>
    public KeyUnwrapException(string message)
        : base(message)
    {
    }
}
