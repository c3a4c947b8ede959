using CloudArchive.Cli.Commands.Common;
using CloudArchive.Research.Export;
using Microsoft.Extensions.DependencyInjection;

namespace CloudArchive.Cli.Commands.Export;

/// <summary>
/// The exporter composed as the function app composes it (one composition root: same containers, keyring, key provider
/// and audit log), for running an export in-process. Audited under the CLI's own audit writer id.
/// </summary>
internal sealed class ExportSession : IDisposable
{
    private readonly ArchiveServices _services;

    private ExportSession(ArchiveServices services)
    {
        _services = services;
        Exporter = services.Get<ResearchExporter>();
    }

    public ResearchExporter Exporter { get; }

    public static ExportSession Open(ArchiveSettings settings, int parallelism)
    {
        var services = ArchiveServices.Open(settings, s => s.AddSingleton(sp => new ResearchExportOptions
        {
            MaxParallelism = parallelism,
            AuditApp = "cloudarchive-cli",
            TempDirectory = sp.GetRequiredService<Azure.Composition.CloudArchiveSettings>().Export.TempDirectory,
        }));
        try
        {
            return new ExportSession(services);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    public void Dispose() => _services.Dispose();
}
