namespace CloudArchive.Azure.KeyVault;

/// <summary>A parsed key id <c>https://{vault}/keys/{name}[/{version}]</c>.</summary>
/// <param name="VaultUri">The vault (or Managed HSM) endpoint.</param>
/// <param name="Name">The key name.</param>
/// <param name="Version">The version, or null for "latest".</param>
public sealed record KeyVaultKeyIdentifier(Uri VaultUri, string Name, string? Version)
{
    /// <summary>Parses a key id.</summary>
    /// <exception cref="FormatException">Not a Key Vault key id.</exception>
    public static KeyVaultKeyIdentifier Parse(string keyId)
    {
        if (!TryParse(keyId, out var id))
        {
            throw new FormatException("Not a Key Vault key id (expected https://{vault}/keys/{name}[/{version}]).");
        }

        return id;
    }

    /// <summary>Tries to parse a key id.</summary>
    public static bool TryParse(string? keyId, out KeyVaultKeyIdentifier id)
    {
        id = null!;
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length is < 2 or > 3 || segments[0] != "keys" || segments[1].Length == 0 || !string.IsNullOrEmpty(uri.Query))
        {
            return false;
        }

        id = new KeyVaultKeyIdentifier(new Uri(uri.GetLeftPart(UriPartial.Authority)), segments[1], segments.Length == 3 && segments[2].Length > 0 ? segments[2] : null);
        return true;
    }

    /// <summary>The key id as a URI string (versioned when <see cref="Version"/> is set).</summary>
    public override string ToString() => $"{VaultUri.GetLeftPart(UriPartial.Authority)}/keys/{Name}" + (Version is null ? string.Empty : "/" + Version);
}
