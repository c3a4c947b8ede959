using System.Globalization;
using CloudArchive.Core.Audit;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// Writes the clinical DICOMweb audit lines: <c>110112</c> for a query, one line per study answered; <c>110103</c> for a
/// retrieve; <c>110113</c> for a refusal; each with the purpose of use. Lines are written before any byte of the answer,
/// and a request whose line cannot be written is answered 503 with nothing released.
/// </summary>
internal sealed class ClinicalAuditor(AuditLogWriter audit, ILogger logger)
{
    /// <summary>The application code in audit lines.</summary>
    public const string AuditApp = "cloudarchive-dicomweb";

    /// <summary>The role code in audit lines.</summary>
    public const string AuditRole = "clinician";

    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Audits a query: one 110112 line per study in the answer (one without a study when none matched).</summary>
    public async Task<bool> QueryAsync(ClinicalRequest request, AuditOutcome outcome, IReadOnlyCollection<(string StudyKey, string? Patient)> studies, params string[] details)
    {
        request.Audited = true;
        List<(string? StudyKey, string? Patient)> lines = studies.Count == 0 ? [(null, null)] : [.. studies.Select(s => ((string?)s.StudyKey, s.Patient))];
        var count = string.Create(CultureInfo.InvariantCulture, $"results={studies.Count}");
        try
        {
            await Task.WhenAll(lines.Select(s => audit.AppendAsync(Event(request, AuditEventType.Query, AuditAction.Execute, outcome, s.StudyKey, null, s.Patient, null, [.. details, count]), request.Aborted))).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !request.Aborted.IsCancellationRequested)
        {
            logger.LogError("DicomWeb {CorrelationId}: the audit line could not be written ({ErrorType}).", request.CorrelationId, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>Audits a retrieve (110103) of a study's instances.</summary>
    public async Task<bool> RetrieveAsync(ClinicalRequest request, AuditOutcome outcome, string studyKey, string? instanceKey, string? patient, long? bytes, params string[] details)
    {
        request.Audited = true;
        return await TryAppendAsync(request, Event(request, AuditEventType.InstancesAccessed, AuditAction.Read, outcome, studyKey, instanceKey, patient, bytes, details), request.Aborted).ConfigureAwait(false);
    }

    /// <summary>Audits a refusal (110113). Not tied to the request, so a client that hangs up cannot erase the trace.</summary>
    public async Task RefusedAsync(ClinicalRequest request, params string[] details)
    {
        request.Audited = true;
        using var timeout = new CancellationTokenSource(RefusalTimeout);
        await TryAppendAsync(request, Event(request, AuditEventType.SecurityAlert, AuditAction.Read, AuditOutcome.MinorFailure, null, null, null, null, details), timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Audits a request that failed before any line accounted for it.</summary>
    public async Task FailedAsync(ClinicalRequest request, string code, AuditOutcome outcome)
    {
        if (request.Actor is null || request.Audited)
        {
            return;
        }

        request.Audited = true;
        using var timeout = new CancellationTokenSource(RefusalTimeout);
        var type = request.Route?.Kind is ClinicalRouteKind.SearchStudies or ClinicalRouteKind.SearchSeries or ClinicalRouteKind.SearchInstances ? AuditEventType.Query : AuditEventType.InstancesAccessed;
        await TryAppendAsync(request, Event(request, type, type == AuditEventType.Query ? AuditAction.Execute : AuditAction.Read, outcome, null, null, null, null, ["request-failed", code]), timeout.Token).ConfigureAwait(false);
    }

    private static AuditEvent Event(ClinicalRequest request, AuditEventType type, AuditAction action, AuditOutcome outcome, string? studyKey, string? instanceKey, string? patient, long? bytes, IReadOnlyList<string> details) => new()
    {
        EventType = type,
        Action = action,
        Outcome = outcome,
        Actor = request.Actor!,
        PurposeOfUse = request.PurposeOfUse,
        Study = studyKey is null ? null : new OpaqueKey(studyKey),
        Instance = instanceKey is null ? null : new OpaqueKey(instanceKey),
        Patient = patient is null ? null : new OpaqueKey(patient),
        Bytes = bytes,
        CorrelationId = request.CorrelationId,
        Details = details,
    };

    private async Task<bool> TryAppendAsync(ClinicalRequest request, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("DicomWeb {CorrelationId}: the audit line could not be written ({ErrorType}).", request.CorrelationId, ex.GetType().Name);
            return false;
        }
    }
}
