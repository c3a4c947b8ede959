namespace CloudArchive.Azure.KeyVault;

/// <summary>Body of <c>POST /keys/{name}/create</c>.</summary>
public sealed class CreateKeyOptions
{
    /// <summary><c>kty</c>: RSA-HSM (vault), RSA, EC, EC-HSM, oct-HSM (Managed HSM).</summary>
    public required string KeyType { get; init; }

    /// <summary><c>key_size</c> for RSA (3072 for the KEK) or oct-HSM (256).</summary>
    public int? KeySize { get; init; }

    /// <summary><c>crv</c> for EC keys (e.g. P-256 for ES256 audit seals).</summary>
    public string? Curve { get; init; }

    /// <summary><c>key_ops</c>.</summary>
    public IReadOnlyList<string> KeyOperations { get; init; } = ["wrapKey", "unwrapKey"];

    /// <summary><c>attributes.exp</c>.</summary>
    public DateTimeOffset? ExpiresOn { get; init; }

    /// <summary><c>tags</c>.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
