using System.Globalization;
using CloudArchive.Core.Research.Export;
using CloudArchive.Functions.Invocation;

namespace CloudArchive.Functions.Functions;

/// <summary>
/// <c>POST /ExportResearchCopies</c>: the queue trigger on <c>export-requests</c> (binding <c>request</c>). Runs the
/// <see cref="ResearchExporter"/> for the agreement the message names. Answers 200 when the run completed (the Logs
/// line has the counts) or was refused for the agreement's state (refusal is a decision, audited as 110113; retrying
/// cannot change it), 400 when the message is malformed, 500 when the run failed (the host retries: runs are
/// idempotent), 503 when no exporter is configured. Logs carry the agreement id, counts and reason codes only.
/// </summary>
public static class ExportResearchCopiesFunction
{
    /// <summary>The function (and route) name; the folder holding function.json has the same name.</summary>
    public const string Name = "ExportResearchCopies";

    /// <summary>The queue trigger's binding name in function.json.</summary>
    public const string MessageBinding = "request";

    /// <summary>Handles one invocation.</summary>
    public static async Task HandleAsync(HttpContext context, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger(typeof(ExportResearchCopiesFunction).FullName!);
        var cancellationToken = context.RequestAborted;
        var invocationId = context.Request.Headers["X-Azure-Functions-InvocationId"].ToString();
        var correlationId = IsSafeId(invocationId) ? invocationId : Guid.NewGuid().ToString("D");
        var response = new InvocationResponse();

        ExportRequestMessage message;
        try
        {
            var request = await InvocationRequest.ReadAsync(context.Request.Body, cancellationToken).ConfigureAwait(false);
            message = ExportRequestMessage.Parse(InvocationValues.DecodeQueueMessageJson(request.RequireData(MessageBinding)));
        }
        catch (InvalidInvocationException ex)
        {
            logger.LogWarning("{Function} {CorrelationId}: rejected message: {Reason}", Name, correlationId, ex.Message);
            response.Logs.Add($"{Name} {correlationId}: message rejected (permanent; will go to the poison queue after the host's retries): {ex.Message}");
            await response.WriteAsync(context.Response, StatusCodes.Status400BadRequest, cancellationToken).ConfigureAwait(false);
            return;
        }

        var exporter = context.RequestServices.GetService<ResearchExporter>();
        if (exporter is null)
        {
            response.Logs.Add($"{Name} {correlationId}: no research exporter is configured; the message will be retried.");
            await response.WriteAsync(context.Response, StatusCodes.Status503ServiceUnavailable, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var result = await exporter.ExportAsync(
                new ResearchExportRequest { AgreementId = message.AgreementId, RequestedBy = message.RequestedBy, CorrelationId = correlationId },
                null,
                cancellationToken).ConfigureAwait(false);
            var line = Summary(correlationId, result.Manifest);
            logger.LogInformation("{Line}", line);
            response.Logs.Add(line);
            await response.WriteAsync(context.Response, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
        }
        catch (ExportRefusedException ex)
        {
            var line = $"{Name} {correlationId}: agreement {message.AgreementId}: refused ({ex.ReasonCode}); nothing was exported.";
            logger.LogWarning("{Line}", line);
            response.Logs.Add(line);
            await response.WriteAsync(context.Response, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The archive's own exception messages carry no patient data (CONTRIBUTING); type and message say which
            // dependency failed. The run is idempotent, so the host's retry resumes it.
            logger.LogError(ex, "{Function} {CorrelationId}: agreement {AgreementId} failed", Name, correlationId, message.AgreementId);
            response.Logs.Add($"{Name} {correlationId}: agreement {message.AgreementId} failed, will be retried: {ex.GetType().Name}: {ex.Message}");
            await response.WriteAsync(context.Response, StatusCodes.Status500InternalServerError, cancellationToken).ConfigureAwait(false);
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

    private static bool IsSafeId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
