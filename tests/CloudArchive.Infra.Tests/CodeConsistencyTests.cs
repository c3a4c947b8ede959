using System.Text.Json;
using System.Text.Json.Nodes;
using CloudArchive.Azure.Composition;
using CloudArchive.Infra.Tests.Tooling;
using Xunit;

namespace CloudArchive.Infra.Tests;

/// <summary>
/// The template and the code agree: the app settings are exactly the keys the code reads, and container, queue,
/// connection and function names are the code's own (functions.metadata as the Worker SDK generates it).
/// </summary>
public sealed class CodeConsistencyTests
{
    private static readonly ArchiveContainerNames Defaults = ArchiveContainerNames.Read(_ => null);

    private static async Task<JsonObject> AppSettingsAsync() =>
        Assert.Single((await CompiledInfrastructure.MainAsync()).Module("function-app").Template.OfType("Microsoft.Web/sites/config"),
            c => ((string?)c["name"])!.Contains("'appsettings'", StringComparison.Ordinal))["properties"]!.AsObject();

    private static IReadOnlyList<JsonElement> Functions()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: the Worker SDK generates it when src/CloudArchive.Functions builds.");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static IEnumerable<JsonElement> QueueTriggers() =>
        Functions().SelectMany(f => f.GetProperty("bindings").EnumerateArray()).Where(b => b.GetProperty("type").GetString() == "queueTrigger");

    [Fact]
    public async Task Every_setting_the_code_reads_in_azure_is_set_by_the_template()
    {
        var settings = await AppSettingsAsync();

        Assert.NotEmpty(CodeSettings.AzureKeys);
        var missing = CodeSettings.AzureKeys.Concat(CodeSettings.Auth).Select(CodeSettings.AppSettingName).Where(k => !settings.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "app settings missing from infra/modules/function-app.bicep: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_settings_derived_from_the_code_cover_key_constants_and_bound_options()
    {
        Assert.Contains(CloudArchive.Azure.Storage.StorageOptions.SettingKeys.KeyringServiceUri, CodeSettings.AzureKeys);
        Assert.Contains(KeySettings.KeyIdKey, CodeSettings.AzureKeys);
        Assert.Contains($"{CloudArchive.Functions.Research.ResearchApiOptions.Section}:Burst", CodeSettings.AzureKeys);
        Assert.Contains($"{ArchiveContainerNames.Section}:Keyring", CodeSettings.AzureKeys);
        Assert.DoesNotContain(CloudArchive.Azure.Storage.StorageOptions.SettingKeys.ConnectionString, CodeSettings.AzureKeys);
    }

    [Fact]
    public async Task Every_setting_the_template_sets_is_read_by_the_code_or_the_platform()
    {
        var settings = await AppSettingsAsync();
        var connections = QueueTriggers().Select(b => b.GetProperty("connection").GetString()!).Append("AzureWebJobsStorage").ToHashSet(StringComparer.Ordinal);
        var known = CodeSettings.AzureKeys.Concat(CodeSettings.Auth).Select(CodeSettings.AppSettingName).Concat(CodeSettings.Platform).ToHashSet(StringComparer.Ordinal);

        var unknown = settings.Select(s => s.Key).Where(k => !known.Contains(k) && !connections.Contains(k.Split("__")[0])).ToList();
        Assert.True(unknown.Count == 0, "app settings nothing reads: " + string.Join(", ", unknown));
    }

    [Fact]
    public async Task No_local_only_setting_reaches_azure()
    {
        var settings = await AppSettingsAsync();

        Assert.All(CodeSettings.LocalOnly.Select(CodeSettings.AppSettingName), k => Assert.False(settings.ContainsKey(k), $"{k} must not be set in Azure"));
    }

    [Fact]
    public async Task Every_queue_trigger_connection_is_an_identity_based_connection_to_the_data_account()
    {
        var settings = await AppSettingsAsync();
        var connections = QueueTriggers().Select(b => b.GetProperty("connection").GetString()!).Distinct().ToList();

        Assert.NotEmpty(connections);
        Assert.All(connections, c =>
        {
            Assert.Equal("[parameters('dataQueueEndpoint')]", (string?)settings[$"{c}__queueServiceUri"]);
            Assert.Equal("managedidentity", (string?)settings[$"{c}__credential"]);
            Assert.Equal("[parameters('identityClientId')]", (string?)settings[$"{c}__clientId"]);
        });
    }

    [Fact]
    public async Task Container_names_are_the_code_defaults_and_set_explicitly_for_every_role()
    {
        var main = await CompiledInfrastructure.MainAsync();
        var names = main.Variable("containerNames").AsObject();
        var settings = await AppSettingsAsync();

        Assert.Equal(ArchiveContainerNames.Roles.Order(StringComparer.Ordinal), names.Select(n => n.Key).Order(StringComparer.Ordinal));
        Assert.All(ArchiveContainerNames.Roles, role =>
        {
            Assert.Equal(Defaults.For(role), (string?)names[role]);
            Assert.Equal($"[parameters('containerNames').{role}]", (string?)settings[$"CloudArchive__Containers__{role}"]);
        });
    }

    [Fact]
    public async Task Every_archive_container_is_created_in_the_data_account_except_the_keyring_which_has_its_own()
    {
        var main = await CompiledInfrastructure.MainAsync();
        var created = main.Module("data-storage").ParameterText("archiveContainers");

        Assert.All(ArchiveContainerNames.Roles.Where(r => r != "Keyring"), role => Assert.Contains($"variables('containerNames').{role}", created, StringComparison.Ordinal));
        Assert.Equal("[variables('containerNames').Keyring]", (string?)main.Module("keyring-storage").Parameter("keyringContainerName"));
        Assert.Equal("false", (string?)(await AppSettingsAsync())["CloudArchive__Storage__CreateContainers"]);
    }

    [Fact]
    public async Task The_queues_are_the_trigger_queues_of_functions_metadata_and_their_poison_queues()
    {
        var main = await CompiledInfrastructure.MainAsync();
        var triggerQueues = QueueTriggers().Select(b => b.GetProperty("queueName").GetString()!).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(triggerQueues, new[] { (string?)main.Variable("ingestQueue"), (string?)main.Variable("exportQueue") }.Order(StringComparer.Ordinal));
        Assert.Equal("[concat(createArray(variables('ingestQueue'), variables('exportQueue')), variables('poisonQueues'))]", (string?)main.Module("data-storage").Parameter("queueNames"));
        Assert.Equal("[concat(createArray(variables('ingestQueue'), variables('exportQueue')), variables('poisonQueues'))]", (string?)main.Module("app-roles").Parameter("queues"));
    }

    [Fact]
    public async Task The_function_names_are_those_of_functions_metadata()
    {
        var main = await CompiledInfrastructure.MainAsync();
        var declared = Functions().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(declared, main.Variable("functionNames").AsObject().Select(n => (string?)n.Value).Order(StringComparer.Ordinal));
        Assert.Equal("[variables('functionNames').ingest]", (string?)main.Module("function-app").Parameter("alwaysReadyFunctionName"));
    }

    [Fact]
    public async Task The_key_provider_is_key_vault_with_the_kek_the_template_creates()
    {
        var settings = await AppSettingsAsync();
        var main = await CompiledInfrastructure.MainAsync();

        Assert.Equal("KeyVault", (string?)settings["CloudArchive__Keys__Provider"]);
        Assert.Equal("[parameters('kekUri')]", (string?)settings["CloudArchive__Keys__KeyId"]);
        Assert.Contains("outputs.kekUri", (string?)main.Module("function-app").Parameter("kekUri"), StringComparison.Ordinal);
        Assert.Equal("[parameters('keyringBlobEndpoint')]", (string?)settings["CloudArchive__Storage__KeyringServiceUri"]);
    }
}
