using CloudArchive.Azure.Composition;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Research.Export;
using CloudArchive.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CloudArchive.Azure.Tests.Composition;

public sealed class CompositionRootTests : IDisposable
{
    private readonly string _keys = Directory.CreateTempSubdirectory("ca-root-").FullName;

    public void Dispose() => Directory.Delete(_keys, recursive: true);

    [Fact]
    public void A_host_that_validates_on_start_refuses_with_every_problem_in_one_message()
    {
        var values = Valid();
        values[KeySettings.ProviderKey] = null;
        values[CloudArchiveSettings.SettingKeys.MaxInstanceBytes] = "-1";
        values[ExportSettings.MaxParallelismKey] = "0";
        values[CloudArchiveSettings.SettingKeys.AuditWriterId] = "Not Valid";

        var ex = Assert.Throws<ArchiveConfigurationException>(() => new ServiceCollection().AddCloudArchive(Configuration(values), CloudArchiveHost.Functions(_keys)));

        Assert.Equal(4, ex.Problems.Count);
        foreach (var key in new[] { KeySettings.ProviderKey, CloudArchiveSettings.SettingKeys.MaxInstanceBytes, ExportSettings.MaxParallelismKey, CloudArchiveSettings.SettingKeys.AuditWriterId })
        {
            Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_cli_host_is_stopped_only_by_the_settings_the_service_it_uses_needs()
    {
        var values = Valid();
        values[KeySettings.ProviderKey] = null;
        var services = new ServiceCollection();
        services.AddCloudArchive(Configuration(values), CloudArchiveHost.Cli(_keys));
        using var provider = services.BuildServiceProvider();

        // Reading the audit log needs no key provider...
        Assert.NotNull(provider.GetRequiredService<AuditLogWriter>());

        // ...the keyring does, and says which setting is missing.
        var ex = Assert.Throws<ArchiveConfigurationException>(() => provider.GetRequiredService<Keyring>());
        Assert.Contains(KeySettings.ProviderKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_and_export_share_one_keyring_and_one_audit_writer()
    {
        var services = new ServiceCollection();
        services.AddCloudArchive(Configuration(Valid()), CloudArchiveHost.Functions(_keys));
        using var provider = services.BuildServiceProvider();

        var ingest = provider.GetRequiredService<IngestService>();
        var exporter = provider.GetRequiredService<ResearchExporter>();

        Assert.NotNull(ingest);
        Assert.NotNull(exporter);
        Assert.Same(provider.GetRequiredService<Keyring>(), provider.GetRequiredService<Keyring>());
        Assert.Same(provider.GetRequiredService<AuditLogWriter>(), provider.GetRequiredService<AuditLogWriter>());
        Assert.Same(ingest, provider.GetRequiredService<IIngestHandler>());
    }

    [Fact]
    public void The_quarantine_lifecycle_writer_and_operations_are_composed_and_its_settings_are_validated()
    {
        var services = new ServiceCollection();
        services.AddCloudArchive(Configuration(Valid()), CloudArchiveHost.Functions(_keys));
        using var provider = services.BuildServiceProvider();

        Assert.IsType<CloudArchive.Core.Ingest.Quarantine.QuarantineLifecycle>(provider.GetRequiredService<IQuarantineLifecycle>());
        Assert.NotNull(provider.GetRequiredService<CloudArchive.Core.Ingest.Quarantine.QuarantineWriter>());
        Assert.NotNull(provider.GetRequiredService<CloudArchive.Core.Ingest.Quarantine.UploadQuarantiner>());
        Assert.NotNull(provider.GetRequiredService<CloudArchive.Core.Ingest.Quarantine.QuarantineOperations>());

        var values = Valid();
        values[CloudArchiveSettings.SettingKeys.RepairFileMeta] = "maybe";
        values[CloudArchiveSettings.SettingKeys.QuarantineRetentionDays] = "0";
        var ex = Assert.Throws<ArchiveConfigurationException>(() => new ServiceCollection().AddCloudArchive(Configuration(values), CloudArchiveHost.Functions(_keys)));
        Assert.Contains(CloudArchiveSettings.SettingKeys.RepairFileMeta, ex.Message, StringComparison.Ordinal);
        Assert.Contains(CloudArchiveSettings.SettingKeys.QuarantineRetentionDays, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Services_registered_before_the_root_win()
    {
        var mine = new ResearchExportOptions { MaxParallelism = 7, AuditApp = "test" };
        var services = new ServiceCollection().AddSingleton(mine);
        services.AddCloudArchive(Configuration(Valid()), CloudArchiveHost.Functions(_keys));
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ResearchExportOptions>());
    }

    [Fact]
    public void Container_names_default_to_their_roles_and_control_may_not_be_research()
    {
        var values = Valid();
        var settings = CloudArchiveSettings.Read(key => values.GetValueOrDefault(key), _keys, _ => null);
        Assert.Equal(["incoming", "archive", "quarantine", "keyring", "research", "audit", "control", "seals"], settings.Containers.All);
        Assert.Equal("audit", settings.Containers.For("Audit"));

        values[ArchiveContainerNames.Section + ":Control"] = "shared";
        values[ArchiveContainerNames.Section + ":Research"] = "shared";
        var clash = CloudArchiveSettings.Read(key => values.GetValueOrDefault(key), _keys, _ => null);
        Assert.Contains(clash.Problems, p => p.Section == CloudArchiveSettings.Sections.Export);
    }

    [Fact]
    public void No_storage_account_is_a_problem_of_the_storage_section()
    {
        var values = Valid();
        values["CloudArchive:Storage:ConnectionString"] = null;

        var settings = CloudArchiveSettings.Read(key => values.GetValueOrDefault(key), _keys, _ => null);

        var problem = Assert.Single(settings.Problems);
        Assert.Equal(CloudArchiveSettings.Sections.Storage, problem.Section);
        Assert.Throws<ArchiveConfigurationException>(() => settings.ThrowIfInvalid(CloudArchiveSettings.Sections.Storage));
        settings.ThrowIfInvalid(CloudArchiveSettings.Sections.Keys);
    }

    [Fact]
    public void The_keyring_lives_in_the_keyring_account_when_one_is_configured()
    {
        var values = Valid();
        values["CloudArchive:Storage:ConnectionString"] = null;
        values["CloudArchive:Storage:ServiceUri"] = "https://data.blob.core.windows.net";
        values["CloudArchive:Storage:KeyringServiceUri"] = "https://keyring.blob.core.windows.net";
        var services = new ServiceCollection();
        services.AddCloudArchive(Configuration(values), CloudArchiveHost.Cli(_keys));
        using var provider = services.BuildServiceProvider();

        var keyring = Assert.IsType<Azure.Keys.BlobKeyringStore>(provider.GetRequiredService<IKeyringStore>());

        Assert.Equal("keyring.blob.core.windows.net", keyring.Container.Uri.Host);
    }

    [Fact]
    public void A_keyring_account_beside_a_connection_string_is_refused_not_ignored()
    {
        var values = Valid();
        values["CloudArchive:Storage:KeyringServiceUri"] = "https://keyring.blob.core.windows.net";

        var ex = Assert.Throws<ArchiveConfigurationException>(() => new ServiceCollection().AddCloudArchive(Configuration(values), CloudArchiveHost.Functions(_keys)));

        Assert.Contains("CloudArchive:Storage:KeyringServiceUri", ex.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Valid()
    {
        var root = RepositoryPaths.FindRoot();
        return new Dictionary<string, string?>
        {
            ["CloudArchive:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            [KeySettings.ProviderKey] = "Local",
            [KeySettings.LocalKeyFileKey] = _keys,
            [CloudArchiveSettings.SettingKeys.RetentionFiles] = Path.Combine(root, "data/policies/retention/default.json"),
            [CloudArchiveSettings.SettingKeys.MinimizationFile] = Path.Combine(root, "data/policies/minimization/default.json"),
            // What the function app needs on top (the CLI ignores the section): Entra ID, no development issuer.
            [AuthSettings.TenantIdKey] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            [AuthSettings.AudienceKey] = "api://cloudarchive",
        };
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
