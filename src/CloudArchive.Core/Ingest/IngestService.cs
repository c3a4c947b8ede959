using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Policies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// Takes one upload into the archive (docs/architecture.md §5): validate → minimize → retention date → encrypt under the
/// study key → create-only write with index tags → verify the commit → audit 110107 → encrypted index record → delete
/// the upload; or quarantine it with a reason. Streams throughout: headers are parsed through a seekable view of the
/// upload, and the upload is then read once, forward, while it is MACed, encrypted and written; bulk values (pixel
/// data) are never held in memory, and a minimized rewrite is spooled to a temporary file.
/// </summary>
/// <remarks>
/// Idempotence: names derive deterministically from the UIDs, the archive write is create-only, and the index
/// record is written last before the upload is deleted, so a re-delivered event finds either nothing (upload gone:
/// <see cref="IngestOutcome.AlreadyHandled"/>), an archived blob without index record (an interrupted ingest, which is
/// completed), or a complete instance (<see cref="IngestOutcome.Duplicate"/>). Transient storage failures are thrown so
/// the host re-delivers the event.
/// The steps live in their own classes: <see cref="UploadValidator"/>, <see cref="InstancePlanner"/>,
/// <see cref="IngestArchiveWriter"/>, <see cref="ArchiveVerifier"/> and <see cref="IngestQuarantineStep"/>.
/// </remarks>
public sealed class IngestService : IIngestHandler, IDisposable
{
    private const int InstanceGateCount = 64;

    /// <summary>Above this size the archive is looked up before writing (a duplicate is then not uploaded in full).</summary>
    private const long PreWriteLookupBytes = 16L * 1024 * 1024;

    private readonly IIncomingStore _incoming;
    private readonly IArchiveStore _archive;
    private readonly Keyring _keyring;
    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EnvelopeEncryptionOptions _encryption;
    private readonly InstanceIndexWriter _index;
    private readonly UploadValidator _validator;
    private readonly InstancePlanner _planner;
    private readonly IngestArchiveWriter _writer;
    private readonly IngestAuditor _auditor;
    private readonly IngestQuarantineStep _quarantine;
    private readonly SemaphoreSlim _keysGate = new(1, 1);
    private readonly SemaphoreSlim[] _instanceGates = Enumerable.Range(0, InstanceGateCount).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private IngestKeys? _keys;

    /// <summary>Creates the service.</summary>
    /// <param name="incoming">The <c>incoming</c> container.</param>
    /// <param name="archive">The <c>archive</c> container.</param>
    /// <param name="quarantine">The <c>quarantine</c> container.</param>
    /// <param name="keyring">Study keys and the index key.</param>
    /// <param name="policies">Validated retention and minimization policies.</param>
    /// <param name="audit">The audit log writer.</param>
    /// <param name="options">Limits and settings.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="logger">Logger (opaque keys and codes only).</param>
    public IngestService(IIncomingStore incoming, IArchiveStore archive, IQuarantineStore quarantine, Keyring keyring, IngestPolicies policies, AuditLogWriter audit, IngestOptions? options = null, TimeProvider? timeProvider = null, ILogger<IngestService>? logger = null)
    {
        _incoming = incoming ?? throw new ArgumentNullException(nameof(incoming));
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        ArgumentNullException.ThrowIfNull(quarantine);
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(audit);
        _options = options ?? new IngestOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _planner = new InstancePlanner(policies, _options);
        _encryption = new EnvelopeEncryptionOptions { RegionLength = _options.EncryptionRegionLength };
        var encryptor = new EnvelopeEncryptor(_encryption);
        _index = new InstanceIndexWriter(archive, keyring, encryptor);
        _writer = new IngestArchiveWriter(archive, keyring, _encryption, encryptor);
        _auditor = new IngestAuditor(audit, new AuditActor(_options.AuditActorId, app: "cloudarchive-functions", role: "ingest"));
        var quarantiner = new UploadQuarantiner(incoming, new QuarantineWriter(quarantine, keyring, _options.QuarantineRetentionDays, _time), audit, _auditor.Actor);
        _quarantine = new IngestQuarantineStep(incoming, quarantiner, _auditor);
        _validator = new UploadValidator(_options);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxInstanceBytes, 1);
    }

    /// <inheritdoc />
    public async Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var upload = await _incoming.OpenAsync(request.Container, request.BlobName, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            _logger.LogInformation("Ingest {CorrelationId} event {EventId}: upload no longer exists (already handled).", request.CorrelationId, request.EventId);
            return new IngestResult(IngestOutcome.AlreadyHandled);
        }

        await using (upload.ConfigureAwait(false))
        {
            var keys = await GetKeysAsync(cancellationToken).ConfigureAwait(false);
            var context = new IngestContext(request, upload, keys);
            IngestResult result;
            try
            {
                result = await RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestRejection rejection) when (rejection.Reason == QuarantineReason.StudyShredded)
            {
                result = await _quarantine.DiscardShreddedAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestRejection rejection)
            {
                result = await _quarantine.QuarantineAsync(context, rejection.Reason, rejection.Message, cancellationToken).ConfigureAwait(false);
            }

            _logger.LogInformation(
                "Ingest {CorrelationId} event {EventId}: {Outcome} instance {InstanceKey} {ReasonCode}",
                request.CorrelationId,
                request.EventId,
                result.Outcome,
                result.InstanceKey,
                result.ReasonCode);
            return result;
        }
    }

    /// <summary>Releases the derived keys.</summary>
    public void Dispose()
    {
        _keys?.Dispose();
        _keysGate.Dispose();
        foreach (var gate in _instanceGates)
        {
            gate.Dispose();
        }
    }

    /// <summary>Validates, plans and archives the upload; a rejection is thrown as <see cref="IngestRejection"/>.</summary>
    private async Task<IngestResult> RunAsync(IngestContext context, CancellationToken cancellationToken)
    {
        _validator.CheckSize(context.Upload);
        context.Upload.Content.Position = 0;
        var file = await _validator.ReadDicomAsync(context.Upload, cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            var instance = UploadValidator.Validate(file);
            InstancePlanner.Identify(context, file.Dataset, instance);
            _validator.CheckPolicy(instance);
            var plan = _planner.Plan(context, file, instance, _time.GetUtcNow());
            var studyKek = await GetStudyKeyAsync(plan.StudyKey, cancellationToken).ConfigureAwait(false);
            using (studyKek)
            {
                if (plan.Rewrites)
                {
                    // The rewrite is a different plaintext: the upload's own MAC (duplicate detection) needs its own pass.
                    await context.EnsureUploadMacAsync(cancellationToken).ConfigureAwait(false);
                }

                var plain = await IngestPlaintext.CreateAsync(context, file, plan.Rewrites, _options.TempDirectory, cancellationToken).ConfigureAwait(false);
                await using (plain.ConfigureAwait(false))
                {
                    return await ArchiveInTurnAsync(context, plan, plain, studyKek, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<SymmetricKeyEncryptionKey> GetStudyKeyAsync(string studyKey, CancellationToken cancellationToken)
    {
        try
        {
            return await _keyring.GetOrCreateStudyKeyAsync(studyKey, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyringException ex) when (ex.Reason == KeyringFailureReason.StudyShredded)
        {
            throw new IngestRejection(QuarantineReason.StudyShredded, $"Study {studyKey} was crypto-shredded; new instances of it are not accepted.");
        }
    }

    /// <summary>
    /// Deliveries of the same instance in this process take turns, so a concurrent duplicate sees a completed ingest
    /// (Duplicate) rather than a half-written one. Across processes the create-only write still guarantees one blob;
    /// only the audit may then record the completion twice (docs/ingest.md).
    /// </summary>
    private async Task<IngestResult> ArchiveInTurnAsync(IngestContext context, IngestPlan plan, IngestPlaintext plain, SymmetricKeyEncryptionKey studyKek, CancellationToken cancellationToken)
    {
        var record = plan.Record(plain.Length);
        var gate = _instanceGates[(int)((uint)StringComparer.Ordinal.GetHashCode(context.InstanceKey!) % InstanceGateCount)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ArchiveAsync(context, plan, record, plain, studyKek, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IngestResult> ArchiveAsync(IngestContext context, IngestPlan plan, InstanceIndexRecord record, IngestPlaintext plain, SymmetricKeyEncryptionKey studyKek, CancellationToken cancellationToken)
    {
        var archiveName = ArchiveNames.Instance(plan.StudyKey, context.InstanceKey!);

        // A small instance goes straight to the create-only write (its 409 says "exists"); a large one is
        // looked up first so a re-delivered duplicate is not streamed and uploaded in full to learn that.
        var existing = plain.Length > PreWriteLookupBytes
            ? await _archive.GetInfoAsync(archiveName, cancellationToken).ConfigureAwait(false)
            : null;
        if (existing is null)
        {
            // A one-region instance carries its index record in its own metadata, committed by the same request
            // and verified in process right after it. A larger one is verified by reading back, seconds later:
            // its record is written only then, so nothing can select it for research before it is verified.
            var sealedIndex = plain.Length <= _encryption.RegionLength
                ? await _index.SealAsync(record, studyKek, cancellationToken).ConfigureAwait(false)
                : null;
            var written = await _writer.WriteAsync(context, plain, archiveName, studyKek, plan.ArchiveTags(), sealedIndex, cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                var verifier = Verifier(context);
                return await CompleteAsync(context, record, plan, resumed: false, indexSealed: sealedIndex is not null, ct => verifier.VerifyWrittenAsync(archiveName, written, ct), cancellationToken).ConfigureAwait(false);
            }

            // Another delivery of the same instance committed first: judge its blob like any existing one.
            existing = await _archive.GetInfoAsync(archiveName, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The archive reported an existing blob that cannot be found; retrying.");
        }

        return await JudgeExistingAsync(context, plan, record, plain, archiveName, existing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An archive blob of this instance exists: a conflict, an interrupted ingest of this upload to finish, or a duplicate.</summary>
    private async Task<IngestResult> JudgeExistingAsync(IngestContext context, IngestPlan plan, InstanceIndexRecord record, IngestPlaintext plain, string archiveName, ArchiveBlobInfo existing, CancellationToken cancellationToken)
    {
        // Only now, with a blob in the way, is the upload's MAC needed; a small upload was read in full by the
        // refused write already, a large one gets one more pass (a rare path: re-delivery or conflict).
        await context.EnsureUploadMacAsync(cancellationToken).ConfigureAwait(false);
        var plainMac = plain.Mac ?? context.UploadMac!;
        var sameContent = ArchiveVerifier.Matches(existing, ArchiveMetadata.UploadMac, context.UploadMac!) || ArchiveVerifier.Matches(existing, ArchiveMetadata.PlainMac, plainMac);
        if (!sameContent)
        {
            throw new IngestRejection(QuarantineReason.Conflict, $"Instance {context.InstanceKey} is already archived with different content; the archived copy was left unchanged.");
        }

        if (ArchiveVerifier.Matches(existing, ArchiveMetadata.SourceMac, context.SourceMac()) && await context.UploadStillInPlaceAsync(_incoming, cancellationToken).ConfigureAwait(false))
        {
            // The archive blob was written from this very upload (same name, same ETag), which is still
            // here: the ingest that wrote it stopped before deleting it. Finish it. Nothing of what that
            // process wrote is known here, so the blob is decrypted and MACed end to end.
            var indexSealed = existing.Metadata.ContainsKey(InstanceIndex.SealedMetadataName);
            var verifier = Verifier(context);
            return await CompleteAsync(context, record, plan, resumed: true, indexSealed, ct => verifier.VerifyWholeAsync(archiveName, plainMac, plain.Length, ct), cancellationToken).ConfigureAwait(false);
        }

        await _auditor.AuditAsync(context, AuditEventType.Import, AuditOutcome.Success, plan.StudyKey, plan.Patient, [ImportAuditDetails.Duplicate], cancellationToken).ConfigureAwait(false);
        await context.DeleteUploadAsync(_incoming, cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Duplicate, context.InstanceKey, "duplicate");
    }

    /// <summary>
    /// Verifies the archived copy, then audits the import (110107), writes the index record when it was not sealed into
    /// the blob, and deletes the upload. A copy that does not verify is withdrawn from the index, raises a security
    /// alert (110113), and is quarantined as <see cref="QuarantineReason.VerificationFailed"/>.
    /// </summary>
    private async Task<IngestResult> CompleteAsync(IngestContext context, InstanceIndexRecord record, IngestPlan plan, bool resumed, bool indexSealed, Func<CancellationToken, Task<string?>> verify, CancellationToken cancellationToken)
    {
        var problem = await verify(cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            // The blob stays for investigation, but out of the index: nothing may select it for research.
            await _index.WithdrawAsync(record.StudyKey, record.InstanceKey, cancellationToken).ConfigureAwait(false);
            await _auditor.AuditAsync(context, AuditEventType.SecurityAlert, AuditOutcome.MajorFailure, record.StudyKey, record.PatientPseudonym, ["verification-failed"], cancellationToken).ConfigureAwait(false);
            throw new IngestRejection(QuarantineReason.VerificationFailed, $"The archived copy of instance {context.InstanceKey} did not read back as valid ({problem}); it was left in place for investigation.");
        }

        var details = new List<string> { resumed ? ImportAuditDetails.Resumed : ImportAuditDetails.Archived, plan.Minimization.Changed ? "minimized" : "unchanged", "retention-rule=" + plan.Retention.DecidedBy.Rule.Id };
        details.AddRange((record.MetaRepairs ?? []).Select(ImportAuditDetails.MetaRepaired));
        await _auditor.AuditAsync(context, AuditEventType.Import, AuditOutcome.Success, record.StudyKey, record.PatientPseudonym, details, cancellationToken, bytes: context.Upload.Length).ConfigureAwait(false);
        if (!indexSealed)
        {
            await _index.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        }

        await context.DeleteUploadAsync(_incoming, cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Archived, context.InstanceKey, resumed ? "resumed" : null) { MetaRepairs = record.MetaRepairs ?? [] };
    }

    private ArchiveVerifier Verifier(IngestContext context) => new(_archive, _keyring, context.Keys.Mac);

    private async Task<IngestKeys> GetKeysAsync(CancellationToken cancellationToken)
    {
        if (_keys is { } keys)
        {
            return keys;
        }

        await _keysGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _keys ??= new IngestKeys(await _keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _keysGate.Release();
        }
    }
}
