using Azure.Core;

namespace CloudArchive.Azure.KeyVault;

/// <summary>Options for <see cref="KeyVaultKeyClient"/> (pipeline retries, transport, diagnostics come from <see cref="ClientOptions"/>).</summary>
public sealed class KeyVaultClientOptions : ClientOptions
{
    /// <summary>Creates options with content logging forced off: Key Vault bodies carry wrapped and unwrapped key bytes.</summary>
    public KeyVaultClientOptions()
    {
        Diagnostics.IsLoggingContentEnabled = false;
    }

    /// <summary>The Key Vault REST api-version (7.5 by default; 7.6 is also accepted by the service).</summary>
    public string ApiVersion { get; set; } = "7.5";

    /// <summary>
    /// Skip checking that the challenge's resource/scope belongs to the vault's domain. Never set in production:
    /// the check stops a spoofed endpoint from obtaining a token for another resource.
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }
}
