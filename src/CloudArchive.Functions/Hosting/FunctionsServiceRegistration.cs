using CloudArchive.Azure.Composition;
using CloudArchive.Azure.DicomWeb;
using CloudArchive.Azure.Identity;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Stow;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Lifecycle.Reconcile;
using CloudArchive.Functions.DicomWeb.Clinical;
using CloudArchive.Functions.DicomWeb.Stow;
using CloudArchive.Functions.Lifecycle;
using CloudArchive.Functions.Middleware;
using CloudArchive.Functions.Research;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Publication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudArchive.Functions.Hosting;

/// <summary>
/// The function app's services, for the isolated worker and the local host alike: the archive's composition root
/// (<see cref="CloudArchiveServiceCollectionExtensions.AddCloudArchive"/>, validated at start-up so a bad setting or
/// policy file stops the app with one message), access-token validation (<see cref="ArchiveAuthentication"/>), the
/// researcher API's handler, rate limiter and refusal-audit throttle, the invocation middleware,
/// and container creation. Function classes themselves are activated per invocation with constructor injection.
/// </summary>
public static class FunctionsServiceRegistration
{
    /// <summary>Registers everything the functions need.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The app's configuration (app settings, local.settings.json Values, environment).</param>
    /// <param name="baseDirectory">Relative paths in the settings are resolved against it.</param>
    /// <exception cref="ArchiveConfigurationException">A setting is invalid.</exception>
    public static CloudArchiveSettings AddCloudArchiveFunctions(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = services.AddCloudArchive(configuration, CloudArchiveHost.Functions(baseDirectory));

        // Who may call the API is not optional: without a tenant and an audience (or the loopback development issuer)
        // the app does not start.
        settings.ThrowIfInvalid(CloudArchiveSettings.Sections.Auth);
        services.AddArchiveAuthentication(settings.Auth);
        if (settings.Auth.UsesDevelopmentIssuer)
        {
            // Created now, so the key exists before any client needs it; INSECURE by design, loopback only.
            services.TryAddSingleton(DevelopmentTokenIssuer.LoadOrCreate(settings.Auth.DevelopmentIssuerKeyDirectory!));
        }

        var api = new ResearchApiOptions();
        configuration.GetSection(ResearchApiOptions.Section).Bind(api);
        api.AppServiceAuthEnabled = string.Equals(configuration[ResearchApiOptions.AppServiceAuthVariable], "true", StringComparison.OrdinalIgnoreCase);
        var problems = api.Validate();
        if (problems.Count > 0)
        {
            throw new ArchiveConfigurationException("researcher API", problems);
        }

        services.TryAddSingleton(api);
        services.TryAddSingleton(sp => new ResearchRateLimiter(sp.GetRequiredService<ResearchApiOptions>()));
        services.TryAddSingleton(sp => new DenialAuditThrottle(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ResearchApiHandler(
            sp.GetRequiredService<IAgreementStore>(),
            sp.GetRequiredService<IResearchStore>(),
            sp.GetRequiredService<AuditLogWriter>(),
            sp.GetRequiredService<ResearchRateLimiter>(),
            sp.GetRequiredService<DenialAuditThrottle>(),
            sp.GetRequiredService<ResearchApiOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ResearchApiHandler>>()));
        services.AddClinicalDicomWeb(configuration, settings);
        AddStow(services, configuration, settings);
        services.TryAddSingleton<InvocationMiddleware>();
        services.TryAddSingleton<IIngestEventQueue>(sp => new QueueIngestEvents(sp.GetRequiredService<StorageConnection>(), sp.GetRequiredService<CloudArchiveSettings>()));
        if (settings.CreateContainers)
        {
            services.AddHostedService<ContainerInitializer>();
        }

        return settings;
    }

    /// <summary>STOW-RS (docs/dicomweb/stow.md): its limits, the upload store over <c>incoming</c>, the service and handler.</summary>
    private static void AddStow(IServiceCollection services, IConfiguration configuration, CloudArchiveSettings settings)
    {
        var stow = new StowOptions();
        configuration.GetSection(StowOptions.Section).Bind(stow);
        var problems = stow.Validate();
        if (problems.Count > 0)
        {
            throw new ArchiveConfigurationException("DICOMweb STOW-RS", problems);
        }

        services.TryAddSingleton(stow);
        services.TryAddSingleton<IStowUploadStore>(sp => new BlobStowUploadStore(
            sp.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(settings.Containers.Incoming),
            sp.GetRequiredService<StorageConnection>().Options));
        services.TryAddSingleton(sp => new StowService(
            sp.GetRequiredService<IStowUploadStore>(),
            sp.GetRequiredService<IIngestHandler>(),
            sp.GetRequiredService<AuditLogWriter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StowService>>()));
        services.TryAddSingleton<StowRsHandler>();
    }
}
