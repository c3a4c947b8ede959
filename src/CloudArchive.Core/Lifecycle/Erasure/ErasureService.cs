using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle.Holds;
using CloudArchive.Core.Lifecycle.Shred;
using CloudArchive.Core.Lifecycle.Sweep;
using CloudArchive.Core.Retention;

namespace CloudArchive.Core.Lifecycle.Erasure;

/// <summary>
/// Erasure on request (GDPR Art. 17). The Patient ID becomes the pseudonym (<see cref="PatientPseudonymizer"/>, as
/// ingest derives <c>ca_patient</c>), the pseudonym finds the patient's instances through Find Blobs by Tags, and each
/// study is decided: a legal hold refuses it, an instance still within its retention period refuses it (a statutory
/// obligation to keep), otherwise it is shredded completely (<see cref="StudyShredder"/>) and its instances deleted.
/// Every decision is audited 110105 (refusals with outcome minor failure and the refusal code), and the request with
/// its basis is recorded in <c>control/erasures/{id}.json</c>. A dry run decides and reports only.
/// </summary>
public sealed class ErasureService
{
    private const int PageSize = 500;
    private const int MaxBasisLength = 1000;
    private readonly Keyring _keyring;
    private readonly IArchiveTagIndex _tags;
    private readonly LegalHoldService _holds;
    private readonly DocumentLegalHoldQuery _holdQuery;
    private readonly StudyShredder _shredder;
    private readonly ILifecycleDocumentStore _documents;
    private readonly AuditLogWriter _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public ErasureService(Keyring keyring, IArchiveTagIndex tags, LegalHoldService holds, DocumentLegalHoldQuery holdQuery, StudyShredder shredder, ILifecycleDocumentStore documents, AuditLogWriter audit, TimeProvider? time = null)
    {
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _tags = tags ?? throw new ArgumentNullException(nameof(tags));
        _holds = holds ?? throw new ArgumentNullException(nameof(holds));
        _holdQuery = holdQuery ?? throw new ArgumentNullException(nameof(holdQuery));
        _shredder = shredder ?? throw new ArgumentNullException(nameof(shredder));
        _documents = documents ?? throw new ArgumentNullException(nameof(documents));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Decides, and unless a dry run, carries out an erasure request.</summary>
    /// <exception cref="LifecycleException"><see cref="LifecycleFailureReason.InvalidRequest"/>: no patient id or basis.</exception>
    public async Task<ErasureResult> RequestAsync(ErasureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Basis) || request.Basis.Length > MaxBasisLength)
        {
            throw new LifecycleException(LifecycleFailureReason.InvalidRequest, $"An erasure needs its basis (1-{MaxBasisLength} characters).");
        }

        var namer = await _keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false);
        var patient = PatientPseudonymizer.Pseudonym(namer, request.PatientId, request.Issuer)
            ?? throw new LifecycleException(LifecycleFailureReason.InvalidRequest, "An erasure needs a patient id.");
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var snapshot = await _holds.SnapshotAsync(cancellationToken).ConfigureAwait(false);

        var outcomes = new List<ErasureStudyOutcome>();
        foreach (var (studyKey, count) in await StudiesAsync(patient, cancellationToken).ConfigureAwait(false))
        {
            var latest = await LatestRetainUntilAsync(studyKey, cancellationToken).ConfigureAwait(false);
            var decision = await _holdQuery.IsHeldAsync(snapshot, studyKey, cancellationToken).ConfigureAwait(false)
                ? ErasureDecision.RefusedLegalHold
                : latest is { } until && until >= today ? ErasureDecision.RefusedRetentionObligation : ErasureDecision.Erase;
            outcomes.Add(new ErasureStudyOutcome(studyKey, decision, count, latest?.ToString(RetainUntilTag.Format, CultureInfo.InvariantCulture)));
        }

        if (request.DryRun)
        {
            return new ErasureResult(null, patient, true, outcomes);
        }

        var requestId = "erasure-" + today.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var final = new List<ErasureStudyOutcome>();
        foreach (var outcome in outcomes)
        {
            var decided = outcome;
            if (outcome.Decision == ErasureDecision.Erase)
            {
                try
                {
                    await _shredder.ShredAsync(new StudyShredRequest(outcome.StudyKey, request.Actor, "erasure", request.CorrelationId), cancellationToken).ConfigureAwait(false);
                    await RetentionSweepService.DeleteAllAsync(_tags, outcome.StudyKey, PageSize, cancellationToken).ConfigureAwait(false);
                }
                catch (KeyringException ex) when (ex.Reason == KeyringFailureReason.LegalHold)
                {
                    decided = outcome with { Decision = ErasureDecision.RefusedLegalHold };
                }
            }

            final.Add(decided);
            await _audit.AppendAsync(
                new AuditEvent
                {
                    EventType = AuditEventType.StudyDeleted,
                    Action = AuditAction.Delete,
                    Outcome = decided.Decision == ErasureDecision.Erase ? AuditOutcome.Success : AuditOutcome.MinorFailure,
                    Actor = request.Actor,
                    Study = new OpaqueKey(decided.StudyKey),
                    Patient = new OpaqueKey(patient),
                    CorrelationId = request.CorrelationId,
                    Details = ["erasure-request", "request=" + requestId, "decision=" + decided.DecisionCode],
                },
                cancellationToken).ConfigureAwait(false);
        }

        await RecordAsync(requestId, patient, request, final, cancellationToken).ConfigureAwait(false);
        return new ErasureResult(requestId, patient, false, final);
    }

    /// <summary>The patient's studies with their instance counts (a patient's studies are few; instances are only counted).</summary>
    private async Task<List<(string StudyKey, int Count)>> StudiesAsync(string patient, CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await _tags.FindPatientAsync(patient, token, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var instance in page.Instances)
            {
                counts[instance.StudyKey] = counts.GetValueOrDefault(instance.StudyKey) + 1;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return counts.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    private async Task<DateOnly?> LatestRetainUntilAsync(string studyKey, CancellationToken cancellationToken)
    {
        DateOnly? latest = null;
        string? token = null;
        do
        {
            var page = await _tags.FindStudyAsync(studyKey, token, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var instance in page.Instances)
            {
                var tags = await _tags.GetTagsAsync(instance.Name, cancellationToken).ConfigureAwait(false);
                if (tags is not null && tags.TryGetValue(Archive.ArchiveMetadata.RetainUntilTag, out var value) && RetainUntilTag.TryParse(value, out var date) && (latest is null || date > latest))
                {
                    latest = date;
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return latest;
    }

    private async Task RecordAsync(string requestId, string patient, ErasureRequest request, IReadOnlyList<ErasureStudyOutcome> outcomes, CancellationToken cancellationToken)
    {
        var studies = new JsonArray();
        foreach (var o in outcomes)
        {
            studies.Add((JsonNode)new JsonObject { ["studyKey"] = o.StudyKey, ["decision"] = o.DecisionCode, ["instances"] = o.Instances, ["retainUntil"] = o.RetainUntil });
        }

        var document = new JsonObject
        {
            ["schema"] = "cloudarchive/erasure-request/v1",
            ["id"] = requestId,
            ["patient"] = patient,
            ["basis"] = request.Basis.Trim(),
            ["requestedBy"] = request.Actor.Id,
            ["at"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ["studies"] = studies,
        };
        await _documents.TryCreateAsync("erasures/" + requestId + ".json", JsonSerializer.SerializeToUtf8Bytes(document, LifecycleJsonContext.Default.JsonObject), cancellationToken).ConfigureAwait(false);
    }
}
