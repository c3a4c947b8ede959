using CloudArchive.Azure.Composition;
using CloudArchive.Azure.DicomWeb;
using CloudArchive.Azure.Storage;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.DicomWeb.Clinical;
using CloudArchive.Core.Keys;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>The clinical DICOMweb root's services: its settings (validated at start-up), the keyed index, the decrypting reader and the handler.</summary>
public static class ClinicalDicomWebRegistration
{
    /// <summary>Registers the clinical root; services registered before win.</summary>
    /// <exception cref="ArchiveConfigurationException">A <c>CloudArchive:DicomWeb</c> setting is invalid.</exception>
    public static void AddClinicalDicomWeb(this IServiceCollection services, IConfiguration configuration, CloudArchiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var options = new ClinicalDicomWebOptions();
        var section = configuration.GetSection(ClinicalDicomWebOptions.Section);
        if (section[nameof(ClinicalDicomWebOptions.PurposesOfUse)] is { } purposes)
        {
            options.PurposesOfUse = purposes;
        }

        options.MaxResults = Int(section, nameof(ClinicalDicomWebOptions.MaxResults), options.MaxResults);
        options.MaxCandidates = Int(section, nameof(ClinicalDicomWebOptions.MaxCandidates), options.MaxCandidates);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArchiveConfigurationException("clinical DICOMweb", problems);
        }

        services.TryAddSingleton(options);
        services.TryAddSingleton<IArchiveTagIndex>(sp => new BlobArchiveTagIndex(sp.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(settings.Containers.Archive)));
        services.TryAddSingleton(sp => new ClinicalIndex(
            sp.GetRequiredService<IArchiveTagIndex>(),
            new InstanceIndexReader(sp.GetRequiredService<IArchiveStore>(), sp.GetRequiredService<Keyring>()),
            sp.GetRequiredService<Keyring>(),
            sp.GetRequiredService<ClinicalDicomWebOptions>()));
        services.TryAddSingleton(sp => new ClinicalArchive(
            sp.GetRequiredService<ClinicalIndex>(),
            new ClinicalInstanceReader(sp.GetRequiredService<IArchiveStore>(), sp.GetRequiredService<Keyring>())));
        services.TryAddSingleton(sp => new ClinicalDicomWebHandler(
            sp.GetRequiredService<ClinicalArchive>(),
            sp.GetRequiredService<AuditLogWriter>(),
            sp.GetRequiredService<ClinicalDicomWebOptions>(),
            sp.GetRequiredService<ILogger<ClinicalDicomWebHandler>>()));
    }

    private static int Int(IConfigurationSection section, string key, int fallback) =>
        section[key] is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : -1
            : fallback;
}
