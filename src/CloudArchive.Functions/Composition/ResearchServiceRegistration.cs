using CloudArchive.Azure.Research;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Research.Agreements;
using CloudArchive.Core.Research.Consent;
using CloudArchive.Core.Research.Export;
using CloudArchive.Core.Research.Publication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudArchive.Functions.Composition;

/// <summary>
/// Composes the research services over the <c>control</c> and <c>research</c> containers: agreements, consents,
/// research copies, the archive catalog, the export ledger and the <see cref="ResearchExporter"/>. Call after
/// <see cref="IngestServiceRegistration.AddIngest"/>, which provides the storage connection, keyring, archive store and
/// audit writer. Services registered earlier win (<c>TryAdd</c>), so tests can substitute any of them.
/// </summary>
public static class ResearchServiceRegistration
{
    /// <summary>Registers the research services.</summary>
    /// <exception cref="InvalidOperationException">The research configuration is invalid.</exception>
    public static void AddResearch(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var settings = ResearchSettings.Read(key => configuration[key], builder.Environment.ContentRootPath);
        var services = builder.Services;
        services.TryAddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAgreementStore>(sp => new BlobAgreementStore(Container(sp, settings.ControlContainer)));
        services.TryAddSingleton<IConsentRegistry>(sp => new BlobConsentRegistry(Container(sp, settings.ControlContainer)));
        services.TryAddSingleton<IResearchStore>(sp => new BlobResearchStore(Container(sp, settings.ResearchContainer)));
        services.TryAddSingleton<IExportLedger>(sp => new BlobExportLedger(Container(sp, settings.ControlContainer)));
        services.TryAddSingleton<IArchiveCatalog>(sp => new BlobArchiveCatalog(Container(sp, sp.GetRequiredService<IngestSettings>().Containers.Archive)));
        services.TryAddSingleton(sp => new ResearchExporter(
            sp.GetRequiredService<IAgreementStore>(),
            sp.GetRequiredService<IConsentRegistry>(),
            sp.GetRequiredService<IArchiveCatalog>(),
            sp.GetRequiredService<IArchiveStore>(),
            sp.GetRequiredService<Keyring>(),
            sp.GetRequiredService<IResearchStore>(),
            sp.GetRequiredService<IExportLedger>(),
            sp.GetRequiredService<AuditLogWriter>(),
            new ResearchExportOptions { MaxParallelism = settings.MaxParallelism, TempDirectory = settings.TempDirectory, AuditApp = "cloudarchive-functions" },
            sp.GetRequiredService<TimeProvider>()));

        var create = configuration[IngestSettings.Keys.CreateContainers];
        if (string.IsNullOrWhiteSpace(create) || !bool.TryParse(create, out var createContainers) || createContainers)
        {
            services.AddHostedService<ResearchContainerInitializer>();
        }
    }

    private static Azure.Storage.Blobs.BlobContainerClient Container(IServiceProvider services, string name) =>
        services.GetRequiredService<StorageConnection>().Blobs.GetContainer(name);
}
