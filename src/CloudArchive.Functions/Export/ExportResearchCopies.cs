using System.Globalization;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.Middleware;
using CloudArchive.Research.Export;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.Export;

/// <summary>
/// The queue trigger on <c>export-requests</c>: runs the <see cref="ResearchExporter"/> for the agreement the message
/// names. A refusal for the agreement's state (closed, expired) is a decision, audited as 110113 by the exporter, and
/// completes the message: retrying cannot change it. Any other failure fails the invocation; runs are idempotent, so the
/// host's next delivery resumes. Logs carry the agreement id, counts and reason codes only.
/// </summary>
public sealed class ExportResearchCopies
{
    /// <summary>The function name.</summary>
    public const string Name = "ExportResearchCopies";

    /// <summary>The queue the CLI and consent revocation enqueue to.</summary>
    public const string Queue = CloudArchive.Azure.Composition.ArchiveQueueNames.Export;

    private readonly ResearchExporter _exporter;
    private readonly ILogger<ExportResearchCopies> _logger;

    /// <summary>Creates the function.</summary>
    public ExportResearchCopies(ResearchExporter exporter, ILogger<ExportResearchCopies> logger)
    {
        _exporter = exporter ?? throw new ArgumentNullException(nameof(exporter));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs one delivery of a queue message.</summary>
    [Function(Name)]
    public async Task RunAsync([QueueTrigger(Queue, Connection = IngestInstance.Connection)] string message, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await ExportAsync(message, context.CorrelationId(), context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the export the message asks for; returns the run's manifest, or null when the agreement's state refused it.</summary>
    /// <exception cref="InvalidMessageException">The message is not an export request.</exception>
    public async Task<ExportManifest?> ExportAsync(string message, string correlationId, CancellationToken cancellationToken)
    {
        var request = ExportRequestMessage.Parse(QueueMessageText.DecodeJson(message));
        try
        {
            var result = await _exporter.ExportAsync(
                new ResearchExportRequest { AgreementId = request.AgreementId, RequestedBy = request.RequestedBy, CorrelationId = correlationId },
                null,
                cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("{Line}", Summary(correlationId, result.Manifest));
            return result.Manifest;
        }
        catch (ExportRefusedException ex)
        {
            _logger.LogWarning("{Function} {CorrelationId}: agreement {AgreementId}: refused ({Reason}); nothing was exported.", Name, correlationId, request.AgreementId, ex.ReasonCode);
            return null;
        }
    }

    /// <summary>The one-line summary of a run.</summary>
    internal static string Summary(string correlationId, ExportManifest manifest)
    {
        var excluded = manifest.ExcludedByReason.Count == 0
            ? "none"
            : string.Join(", ", manifest.ExcludedByReason.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}={e.Value}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"{Name} {correlationId}: agreement {manifest.AgreementId}: {manifest.ArchiveStudies} archive studies; written {manifest.Run.StudiesWritten}, unchanged {manifest.Run.StudiesUnchanged}, removed {manifest.Run.StudiesRemoved}; instances written {manifest.Run.InstancesWritten} ({manifest.Run.BytesWritten} bytes); output {manifest.Exported.Studies} studies/{manifest.Exported.Series} series/{manifest.Exported.Instances} instances; excluded: {excluded}");
    }
}
