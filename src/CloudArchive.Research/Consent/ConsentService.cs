using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;

namespace CloudArchive.Research.Consent;

/// <summary>
/// Maintains the consent registry: imports from CSV and FHIR, revocations and look-ups. Patient ids are turned into
/// pseudonyms with <see cref="PatientPseudonymizer"/> (exactly as ingest does) and dropped; every change is audited as
/// 110100 Application Activity with the pseudonym as Patient.
/// </summary>
public sealed class ConsentService
{
    private readonly IConsentRegistry _registry;
    private readonly OpaqueKeyNamer _indexNamer;
    private readonly AuditLogWriter _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="indexNamer">The index-key namer (<see cref="Keyring.GetIndexKeyNamerAsync"/>); owned by the caller.</param>
    /// <param name="audit">The audit writer.</param>
    /// <param name="time">The clock.</param>
    public ConsentService(IConsentRegistry registry, OpaqueKeyNamer indexNamer, AuditLogWriter audit, TimeProvider time)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _indexNamer = indexNamer ?? throw new ArgumentNullException(nameof(indexNamer));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The pseudonym of a patient id within its issuer (what the registry is keyed by).</summary>
    /// <exception cref="ArgumentException">No patient id.</exception>
    public string PseudonymOf(string patientId, string? issuer) =>
        PatientPseudonymizer.Pseudonym(_indexNamer, patientId, issuer) ?? throw new ArgumentException("A patient id is required.", nameof(patientId));

    /// <summary>Imports a CSV file (columns in docs/research.md).</summary>
    /// <param name="csv">The file.</param>
    /// <param name="strict">When true, any error means nothing is written.</param>
    /// <param name="actor">Who imports.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="ConsentFormatException">The file as a whole is unusable (no header, unclosed quote).</exception>
    public async Task<ConsentImportResult> ImportCsvAsync(Stream csv, bool strict, AuditActor actor, CancellationToken cancellationToken) =>
        await ImportAsync(await ConsentCsvReader.ReadAsync(csv, cancellationToken).ConfigureAwait(false), "csv", strict, actor, cancellationToken).ConfigureAwait(false);

    /// <summary>Imports a FHIR R4 Consent or a Bundle of them.</summary>
    /// <param name="json">The document.</param>
    /// <param name="strict">When true, any error means nothing is written.</param>
    /// <param name="actor">Who imports.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="ConsentFormatException">The document as a whole is unusable.</exception>
    public async Task<ConsentImportResult> ImportFhirAsync(Stream json, bool strict, AuditActor actor, CancellationToken cancellationToken) =>
        await ImportAsync(await ConsentFhirReader.ReadAsync(json, cancellationToken).ConfigureAwait(false), "fhir", strict, actor, cancellationToken).ConfigureAwait(false);

    /// <summary>Imports rows already read from a source.</summary>
    public async Task<ConsentImportResult> ImportAsync(ConsentSourceReadResult source, string sourceKind, bool strict, AuditActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(actor);
        if (!ConsentValidator.Sources.Contains(sourceKind))
        {
            throw new ArgumentException("The source is csv, fhir or cli.", nameof(sourceKind));
        }

        var errors = source.Errors.ToList();
        var byPatient = new Dictionary<string, ConsentImportRow>(StringComparer.Ordinal);
        var ordered = new List<(string Pseudonym, ConsentImportRow Row)>();
        foreach (var row in source.Rows)
        {
            var pseudonym = PseudonymOf(row.PatientId, row.Issuer);
            if (byPatient.TryGetValue(pseudonym, out var first))
            {
                // Two rows for one patient in one file: which one is meant cannot be guessed.
                errors.Add(new ConsentImportError(row.Location, $"same patient as {first.Location}; one current consent per patient"));
                continue;
            }

            byPatient.Add(pseudonym, row);
            ordered.Add((pseudonym, row));
        }

        errors.Sort((a, b) => CompareLocations(a.Location, b.Location));
        if (strict && errors.Count > 0)
        {
            return new ConsentImportResult { Errors = errors, AbortedByStrictMode = true };
        }

        int imported = 0, updated = 0, unchanged = 0;
        foreach (var (pseudonym, row) in ordered)
        {
            var now = _time.GetUtcNow();
            var current = await _registry.GetAsync(pseudonym, cancellationToken).ConfigureAwait(false);
            var record = row.ToRecord(pseudonym, sourceKind, now, actor.Id);
            if (current is not null && SameTerms(current, record))
            {
                unchanged++;
                continue;
            }

            await _registry.PutAsync(record, cancellationToken).ConfigureAwait(false);
            var isNew = current is null;
            await AuditAsync(pseudonym, actor, isNew ? AuditAction.Create : AuditAction.Update, isNew ? "consent-imported" : "consent-updated", sourceKind, cancellationToken).ConfigureAwait(false);
            if (isNew)
            {
                imported++;
            }
            else
            {
                updated++;
            }
        }

        return new ConsentImportResult { Imported = imported, Updated = updated, Unchanged = unchanged, Errors = errors };
    }

    /// <summary>
    /// Revokes a patient's consent: status becomes inactive, the other terms are kept for the record, and who/when/why
    /// are recorded. Returns null when the patient has no consent record (nothing to revoke).
    /// </summary>
    /// <param name="patientId">The Patient ID (never stored or logged).</param>
    /// <param name="issuer">The Issuer of Patient ID, or null.</param>
    /// <param name="reason">Why (short text, no patient data), or null.</param>
    /// <param name="actor">Who revokes.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="ConsentFormatException">The reason is too long or has control characters.</exception>
    public async Task<ConsentRecord?> RevokeAsync(string patientId, string? issuer, string? reason, AuditActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var pseudonym = PseudonymOf(patientId, issuer);
        var current = await _registry.GetAsync(pseudonym, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return null;
        }

        var revoked = current with
        {
            Status = ConsentStatus.Inactive,
            StatusReason = string.IsNullOrWhiteSpace(reason) ? "revoked" : reason.Trim(),
            Source = "cli",
            RecordedAt = _time.GetUtcNow(),
            RecordedBy = actor.Id,
        };
        ConsentValidator.Validate(revoked);
        await _registry.PutAsync(revoked, cancellationToken).ConfigureAwait(false);
        await AuditAsync(pseudonym, actor, AuditAction.Update, "consent-revoked", null, cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <summary>The patient's current record (looked up by pseudonym), or null.</summary>
    public async Task<ConsentRecord?> GetAsync(string patientId, string? issuer, CancellationToken cancellationToken) =>
        await _registry.GetAsync(PseudonymOf(patientId, issuer), cancellationToken).ConfigureAwait(false);

    private static bool SameTerms(ConsentRecord a, ConsentRecord b) =>
        a.Status == b.Status && a.SourceId == b.SourceId && a.PeriodStart == b.PeriodStart && a.PeriodEnd == b.PeriodEnd
        && a.DataFrom == b.DataFrom && a.DataTo == b.DataTo && a.Purposes.SequenceEqual(b.Purposes) && a.Actors.SequenceEqual(b.Actors)
        && a.Deny.Count == b.Deny.Count && a.Deny.Zip(b.Deny).All(p => SameDeny(p.First, p.Second)) && a.StatusReason == b.StatusReason;

    private static bool SameDeny(ConsentDenyProvision a, ConsentDenyProvision b) =>
        a.Modalities.SequenceEqual(b.Modalities) && a.BodyParts.SequenceEqual(b.BodyParts) && a.Purposes.SequenceEqual(b.Purposes)
        && a.DataFrom == b.DataFrom && a.DataTo == b.DataTo;

    private static int CompareLocations(string a, string b)
    {
        static (string, int) Key(string s)
        {
            var digits = new string(s.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
            return (s[..Math.Max(0, s.IndexOfAny("0123456789".ToCharArray()))], int.TryParse(digits, out var n) ? n : 0);
        }

        var (pa, na) = Key(a);
        var (pb, nb) = Key(b);
        var c = string.CompareOrdinal(pa, pb);
        return c != 0 ? c : na.CompareTo(nb);
    }

    private Task<AuditRecord> AuditAsync(string pseudonym, AuditActor actor, AuditAction action, string detail, string? source, CancellationToken cancellationToken) =>
        _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.ApplicationActivity,
                Action = action,
                Outcome = AuditOutcome.Success,
                Actor = actor,
                Patient = new OpaqueKey(pseudonym),
                Details = source is null ? [detail] : [detail, "source=" + source],
            },
            cancellationToken);
}
