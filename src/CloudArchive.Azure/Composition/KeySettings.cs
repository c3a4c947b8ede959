namespace CloudArchive.Azure.Composition;

/// <summary>
/// The key-encryption key settings and the one rule every process applies to them: the provider is named explicitly
/// (a blank setting is an error, never a silent <c>Local</c>), <c>Local</c> is refused on an Azure instance unless
/// <see cref="AllowLocalKeyInAzureKey"/> says the risk is accepted, and the local key directory must already exist
/// (<c>cloudarchive dev up</c> creates it): a mistyped path must not quietly mint a new key that cannot unwrap the keyring.
/// </summary>
public sealed class KeySettings
{
    /// <summary><c>KeyVault</c> or <c>Local</c>.</summary>
    public const string ProviderKey = "CloudArchive:Keys:Provider";

    /// <summary>The Key Vault or Managed HSM key URI (KeyVault provider).</summary>
    public const string KeyIdKey = "CloudArchive:Keys:KeyId";

    /// <summary>The local key directory (Local provider).</summary>
    public const string LocalKeyFileKey = "CloudArchive:Keys:LocalKeyFile";

    /// <summary>Set to <c>true</c> to run the insecure local key on an Azure instance anyway.</summary>
    public const string AllowLocalKeyInAzureKey = "CloudArchive:Keys:AllowLocalKeyInAzure";

    /// <summary>The environment variable App Service and Functions set on every instance in Azure.</summary>
    public const string AzureInstanceVariable = "WEBSITE_INSTANCE_ID";

    /// <summary>The provider; <see cref="KeyProviderKind.None"/> when <see cref="Problems"/> is not empty.</summary>
    public KeyProviderKind Provider { get; private init; }

    /// <summary>The Key Vault key URI (KeyVault provider).</summary>
    public Uri? KeyVaultKeyUri { get; private init; }

    /// <summary>The absolute local key directory (Local provider).</summary>
    public string? LocalKeyPath { get; private init; }

    /// <summary>What is wrong with the settings, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; private init; } = [];

    /// <summary>Reads and checks the key settings.</summary>
    /// <param name="get">Reads one configuration key.</param>
    /// <param name="baseDirectory">A relative local key path is resolved against it.</param>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    public static KeySettings Read(Func<string, string?> get, string baseDirectory, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(get);
        environment ??= Environment.GetEnvironmentVariable;
        var problems = new List<string>();
        var provider = Blank(get(ProviderKey));
        if (provider is null)
        {
            problems.Add($"{ProviderKey} is not set: name the key provider, KeyVault (production) or Local (development only, insecure).");
            return new KeySettings { Problems = problems };
        }

        if (string.Equals(provider, "KeyVault", StringComparison.OrdinalIgnoreCase))
        {
            var id = Blank(get(KeyIdKey));
            if (id is null || !Uri.TryCreate(id, UriKind.Absolute, out var keyUri) || keyUri.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add($"{KeyIdKey} must be the https URI of the Key Vault key when {ProviderKey} is KeyVault.");
                return new KeySettings { Problems = problems };
            }

            return new KeySettings { Provider = KeyProviderKind.KeyVault, KeyVaultKeyUri = keyUri };
        }

        if (!string.Equals(provider, "Local", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{ProviderKey} must be KeyVault or Local.");
            return new KeySettings { Problems = problems };
        }

        if (!string.IsNullOrEmpty(environment(AzureInstanceVariable))
            && !string.Equals(Blank(get(AllowLocalKeyInAzureKey)), "true", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{ProviderKey} is Local on an Azure instance ({AzureInstanceVariable} is set): the local key is a private key file on the instance's disk, not an HSM key. Use KeyVault, or set {AllowLocalKeyInAzureKey}=true to accept the risk.");
        }

        string? path = null;
        if (Blank(get(LocalKeyFileKey)) is not { } configured)
        {
            problems.Add($"{LocalKeyFileKey} is required when {ProviderKey} is Local.");
        }
        else
        {
            path = Path.GetFullPath(configured, baseDirectory);
            if (!Directory.Exists(path))
            {
                problems.Add($"{LocalKeyFileKey}: the local key directory {path} does not exist (`cloudarchive dev up` creates it; a new key could not unwrap an existing keyring).");
            }
        }

        return problems.Count > 0
            ? new KeySettings { Problems = problems }
            : new KeySettings { Provider = KeyProviderKind.Local, LocalKeyPath = path };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
