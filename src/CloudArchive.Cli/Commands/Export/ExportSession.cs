using System.Globalization;
using CloudArchive.Azure.Audit;
using CloudArchive.Azure.Ingest;
using CloudArchive.Azure.Keys;
using CloudArchive.Azure.Research;
using CloudArchive.Cli.Commands.Audit;
using CloudArchive.Cli.Commands.Common;
using CloudArchive.Cli.Commands.Keys;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Research.Export;

namespace CloudArchive.Cli.Commands.Export;

/// <summary>
/// The exporter composed as the function app composes it (same containers, keyring, key provider and audit log), for
/// running an export in-process. Audited under actor <c>cli:cloudarchive</c> with its own audit writer id.
/// </summary>
internal sealed class ExportSession : IDisposable
{
    private readonly IDisposable? _provider;
    private readonly AuditLogWriter _writer;
    private readonly Keyring _keyring;

    private ExportSession(ResearchExporter exporter, Keyring keyring, IDisposable? provider, AuditLogWriter writer)
    {
        Exporter = exporter;
        _keyring = keyring;
        _provider = provider;
        _writer = writer;
    }

    public ResearchExporter Exporter { get; }

    public static ExportSession Open(ArchiveSettings settings, int parallelism)
    {
        var connection = settings.Connect();
        var provider = KeyringSession.CreateProvider(settings);
        var writer = new AuditLogWriter(
            new BlobAuditLogStore(connection.Blobs.GetContainer(settings.Container("Audit"))),
            AuditBlobName.WriterIdFrom("cli-export-" + Environment.MachineName + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)),
            TimeProvider.System);
        var archive = connection.Blobs.GetContainer(settings.Container("Archive"));
        var control = connection.Blobs.GetContainer(settings.Container("Control"));
        var keyring = new Keyring(
            new BlobKeyringStore(connection, new BlobKeyringStoreOptions { ContainerName = settings.Container("Keyring") }),
            provider,
            new TagLegalHoldQuery(archive),
            new AuditLogKeyAuditSink(writer, new AuditActor(AuditLogAccess.Actor, app: "cloudarchive-cli")));
        var exporter = new ResearchExporter(
            new BlobAgreementStore(control),
            new BlobConsentRegistry(control),
            new BlobArchiveCatalog(archive),
            new BlobArchiveStore(archive),
            keyring,
            new BlobResearchStore(connection.Blobs.GetContainer(settings.Container("Research"))),
            new BlobExportLedger(control),
            writer,
            new ResearchExportOptions { MaxParallelism = parallelism, AuditApp = "cloudarchive-cli", TempDirectory = settings["CloudArchive:Export:TempDirectory"] });
        return new ExportSession(exporter, keyring, provider as IDisposable, writer);
    }

    public void Dispose()
    {
        _keyring.Dispose();
        _provider?.Dispose();
        _writer.Dispose();
    }
}
