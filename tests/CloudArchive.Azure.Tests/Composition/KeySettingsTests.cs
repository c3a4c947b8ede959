using CloudArchive.Azure.Composition;
using Xunit;

namespace CloudArchive.Azure.Tests.Composition;

public sealed class KeySettingsTests : IDisposable
{
    private readonly string _keys = Directory.CreateTempSubdirectory("ca-keys-").FullName;

    public void Dispose() => Directory.Delete(_keys, recursive: true);

    [Fact]
    public void A_blank_provider_is_an_error_never_a_silent_local_key()
    {
        var settings = Read(new() { [KeySettings.LocalKeyFileKey] = _keys });

        Assert.Equal(KeyProviderKind.None, settings.Provider);
        Assert.Contains(settings.Problems, p => p.Contains(KeySettings.ProviderKey, StringComparison.Ordinal) && p.Contains("not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Local_is_used_only_when_named_and_its_directory_exists()
    {
        var settings = Read(new() { [KeySettings.ProviderKey] = "local", [KeySettings.LocalKeyFileKey] = _keys });

        Assert.Empty(settings.Problems);
        Assert.Equal(KeyProviderKind.Local, settings.Provider);
        Assert.Equal(_keys, settings.LocalKeyPath);
    }

    [Fact]
    public void A_missing_local_key_directory_is_refused_rather_than_filled_with_a_new_key()
    {
        var missing = Path.Combine(_keys, "typo");

        var settings = Read(new() { [KeySettings.ProviderKey] = "Local", [KeySettings.LocalKeyFileKey] = missing });

        Assert.Contains(settings.Problems, p => p.Contains(missing, StringComparison.Ordinal) && p.Contains("does not exist", StringComparison.Ordinal));
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void Local_is_refused_on_an_Azure_instance()
    {
        var settings = Read(new() { [KeySettings.ProviderKey] = "Local", [KeySettings.LocalKeyFileKey] = _keys }, azureInstance: "abc123");

        Assert.Equal(KeyProviderKind.None, settings.Provider);
        Assert.Contains(settings.Problems, p => p.Contains(KeySettings.AzureInstanceVariable, StringComparison.Ordinal) && p.Contains(KeySettings.AllowLocalKeyInAzureKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Local_on_an_Azure_instance_runs_only_with_the_setting_named_for_the_risk()
    {
        var settings = Read(new() { [KeySettings.ProviderKey] = "Local", [KeySettings.LocalKeyFileKey] = _keys, [KeySettings.AllowLocalKeyInAzureKey] = "true" }, azureInstance: "abc123");

        Assert.Empty(settings.Problems);
        Assert.Equal(KeyProviderKind.Local, settings.Provider);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not a uri")]
    [InlineData("http://vault.example/keys/kek")]
    public void Key_Vault_needs_the_https_uri_of_the_key(string? keyId)
    {
        var settings = Read(new() { [KeySettings.ProviderKey] = "KeyVault", [KeySettings.KeyIdKey] = keyId });

        Assert.Contains(settings.Problems, p => p.Contains(KeySettings.KeyIdKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Key_Vault_with_its_key_uri_is_accepted_in_Azure()
    {
        var settings = Read(new() { [KeySettings.ProviderKey] = "KeyVault", [KeySettings.KeyIdKey] = "https://ca-kv.vault.azure.net/keys/kek" }, azureInstance: "abc123");

        Assert.Empty(settings.Problems);
        Assert.Equal(KeyProviderKind.KeyVault, settings.Provider);
    }

    [Fact]
    public void An_unknown_provider_is_named_in_the_problem()
    {
        var settings = Read(new() { [KeySettings.ProviderKey] = "Vault" });

        Assert.Contains(settings.Problems, p => p.Contains("KeyVault or Local", StringComparison.Ordinal));
    }

    private KeySettings Read(Dictionary<string, string?> values, string? azureInstance = null) =>
        KeySettings.Read(key => values.GetValueOrDefault(key), _keys, name => name == KeySettings.AzureInstanceVariable ? azureInstance : null);
}
