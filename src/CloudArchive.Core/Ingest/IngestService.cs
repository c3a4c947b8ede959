using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest.Quarantine;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Minimization;
using CloudArchive.Core.Policies;
using CloudArchive.Core.Retention;
using CloudArchive.Dicom;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using CloudArchive.Core.Archive;

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
/// </remarks>
public sealed class IngestService : IIngestHandler, IDisposable
{
    private const int CopyBufferSize = 81920;
    private const int InstanceGateCount = 64;

    /// <summary>Above this size the archive is looked up before writing (a duplicate is then not uploaded in full).</summary>
    private const long PreWriteLookupBytes = 16L * 1024 * 1024;

    private readonly IIncomingStore _incoming;
    private readonly IArchiveStore _archive;
    private readonly QuarantineWriter _quarantine;
    private readonly Keyring _keyring;
    private readonly IngestPolicies _policies;
    private readonly DataMinimizer _minimizer;
    private readonly AuditLogWriter _audit;
    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EnvelopeEncryptionOptions _encryption;
    private readonly EnvelopeEncryptor _encryptor;
    private readonly InstanceIndex _index;
    private readonly AuditActor _actor;
    private readonly HashSet<string>? _allowedSopClasses;
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
        _policies = policies ?? throw new ArgumentNullException(nameof(policies));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _options = options ?? new IngestOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _minimizer = new DataMinimizer(policies.Minimization);
        _encryption = new EnvelopeEncryptionOptions { RegionLength = _options.EncryptionRegionLength };
        _encryptor = new EnvelopeEncryptor(_encryption);
        _index = new InstanceIndex(archive, keyring, _encryptor);
        _actor = new AuditActor(_options.AuditActorId, app: "cloudarchive-functions", role: "ingest");
        _quarantine = new QuarantineWriter(quarantine, keyring, _options.QuarantineRetentionDays, _time);
        _allowedSopClasses = _options.AllowedSopClasses is { Count: > 0 } allowed ? new HashSet<string>(allowed, StringComparer.Ordinal) : null;
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
            var context = new Context(request, upload, keys);
            IngestResult result;
            try
            {
                result = await RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestRejection rejection) when (rejection.Reason == QuarantineReason.StudyShredded)
            {
                result = await DiscardShreddedAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestRejection rejection)
            {
                result = await QuarantineAsync(context, rejection.Reason, rejection.Message, cancellationToken).ConfigureAwait(false);
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

    private async Task<IngestResult> RunAsync(Context context, CancellationToken cancellationToken)
    {
        var upload = context.Upload;
        if (upload.Length == 0)
        {
            throw new IngestRejection(QuarantineReason.Empty, "The upload is empty (0 bytes).");
        }

        if (upload.Length > _options.MaxInstanceBytes)
        {
            throw new IngestRejection(QuarantineReason.Oversized, string.Create(CultureInfo.InvariantCulture, $"The upload has {upload.Length} bytes; the limit is {_options.MaxInstanceBytes} bytes."));
        }

        upload.Content.Position = 0;
        var file = await ReadDicomAsync(upload, cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            var instance = Validate(file);
            context.InstanceKey = context.Keys.ForUid(instance.SopInstanceUid);
            var studyKey = context.Keys.ForUid(instance.StudyInstanceUid);
            var seriesKey = context.Keys.ForUid(instance.SeriesInstanceUid);
            var dataset = file.Dataset;
            var patient = context.Keys.PatientPseudonym(dataset.GetString(DicomTags.PatientID), dataset.GetString(DicomTags.IssuerOfPatientID));
            context.StudyKey = studyKey;
            context.Patient = patient;
            CheckPolicy(instance);

            var now = _time.GetUtcNow();
            RetentionDecision retention;
            try
            {
                var facts = RetentionFactsReader.Read(dataset, DateOnly.FromDateTime(now.UtcDateTime), _options.Jurisdiction);
                retention = _policies.Retention.Evaluate(facts);
            }
            catch (RetentionEvaluationException)
            {
                throw new IngestRejection(QuarantineReason.RetentionUndetermined, "No retention rule applies to this instance.");
            }

            var studyDate = RetentionFactsReader.ParseDate(dataset.GetString(DicomTags.StudyDate));
            var modality = CleanCode(dataset.GetString(DicomTags.Modality));
            var bodyPart = CleanCode(dataset.GetString(DicomTags.BodyPartExamined));
            var minimization = _minimizer.Apply(dataset);

            // Taken after minimization, so a value the policy removed is never indexed (docs/dicomweb/clinical.md).
            var indexedAttributes = IndexedAttributes.Capture(dataset);
            var accession = context.Keys.AccessionPseudonym(dataset.GetString(DicomTags.AccessionNumber));

            SymmetricKeyEncryptionKey studyKek;
            try
            {
                studyKek = await _keyring.GetOrCreateStudyKeyAsync(studyKey, cancellationToken).ConfigureAwait(false);
            }
            catch (KeyringException ex) when (ex.Reason == KeyringFailureReason.StudyShredded)
            {
                throw new IngestRejection(QuarantineReason.StudyShredded, $"Study {studyKey} was crypto-shredded; new instances of it are not accepted.");
            }

            using (studyKek)
            {
                if (minimization.Changed || instance.MetaRepairs.Count > 0)
                {
                    // The rewrite is a different plaintext: the upload's own MAC (duplicate detection) needs its own pass.
                    await EnsureUploadMacAsync(context, cancellationToken).ConfigureAwait(false);
                }

                var plain = await OpenPlaintextAsync(context, file, minimization.Changed || instance.MetaRepairs.Count > 0, cancellationToken).ConfigureAwait(false);
                await using (plain.ConfigureAwait(false))
                {
                    var record = new InstanceIndexRecord
                    {
                        StudyKey = studyKey,
                        SeriesKey = seriesKey,
                        InstanceKey = context.InstanceKey,
                        PatientPseudonym = patient,
                        StudyDate = studyDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        Modality = modality,
                        BodyPart = bodyPart,
                        SopClassUid = instance.SopClassUid,
                        TransferSyntaxUid = file.TransferSyntax.Uid,
                        UploadLength = upload.Length,
                        ArchivedLength = plain.Length,
                        MinimizationPolicy = minimization.PolicyName,
                        RemovedPaths = minimization.RemovedPaths,
                        RetainUntil = retention.RetainUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        RetentionRule = retention.DecidedBy.Rule.Id,
                        RetentionExplanation = retention.Explain(),
                        IngestedAt = now,
                        CorrelationId = context.Request.CorrelationId,
                        Attributes = indexedAttributes,
                        MetaRepairs = instance.MetaRepairs.Count > 0 ? instance.MetaRepairs : null,
                    };

                    // Deliveries of the same instance in this process take turns, so a concurrent duplicate sees a completed
                    // ingest (Duplicate) rather than a half-written one. Across processes the create-only write still
                    // guarantees one blob; only the audit may then record the completion twice (docs/ingest.md).
                    var gate = _instanceGates[(int)((uint)StringComparer.Ordinal.GetHashCode(context.InstanceKey) % InstanceGateCount)];
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var archiveName = ArchiveNames.Instance(studyKey, context.InstanceKey);

                        // A small instance goes straight to the create-only write (its 409 says "exists"); a large one is
                        // looked up first so a re-delivered duplicate is not streamed and uploaded in full to learn that.
                        var existing = plain.Length > PreWriteLookupBytes
                            ? await _archive.GetInfoAsync(archiveName, cancellationToken).ConfigureAwait(false)
                            : null;
                        if (existing is null)
                        {
                            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
                            {
                                [ArchiveMetadata.StudyTag] = studyKey,
                                [ArchiveMetadata.PatientTag] = patient ?? "none",
                                [ArchiveMetadata.RetainUntilTag] = RetainUntilTag.ToTag(retention.RetainUntil),
                                [ArchiveMetadata.HoldTag] = "0",
                                [ArchiveMetadata.SeriesTag] = seriesKey,
                                [ArchiveMetadata.AccessionTag] = accession ?? "none",
                            };
                            // A one-region instance carries its index record in its own metadata, committed by the same request
                            // and verified in process right after it. A larger one is verified by reading back, seconds later:
                            // its record is written only then, so nothing can select it for research before it is verified.
                            var sealedIndex = FitsOneRegion(plain.Length)
                                ? await _index.SealAsync(record, studyKek, cancellationToken).ConfigureAwait(false)
                                : null;
                            var written = await WriteArchiveAsync(context, plain, archiveName, studyKek, tags, sealedIndex, cancellationToken).ConfigureAwait(false);
                            if (written is not null)
                            {
                                return await CompleteAsync(context, record, retention, minimization, resumed: false, indexSealed: sealedIndex is not null, ct => VerifyWrittenAsync(archiveName, written, ct), cancellationToken).ConfigureAwait(false);
                            }

                            // Another delivery of the same instance committed first: judge its blob like any existing one.
                            existing = await _archive.GetInfoAsync(archiveName, cancellationToken).ConfigureAwait(false)
                                ?? throw new InvalidOperationException("The archive reported an existing blob that cannot be found; retrying.");
                        }

                        // Only now, with a blob in the way, is the upload's MAC needed; a small upload was read in full by the
                        // refused write already, a large one gets one more pass (a rare path: re-delivery or conflict).
                        await EnsureUploadMacAsync(context, cancellationToken).ConfigureAwait(false);
                        var plainMac = plain.Mac ?? context.UploadMac!;
                        var sameContent = Matches(existing, ArchiveMetadata.UploadMac, context.UploadMac!) || Matches(existing, ArchiveMetadata.PlainMac, plainMac);
                        if (!sameContent)
                        {
                            throw new IngestRejection(QuarantineReason.Conflict, $"Instance {context.InstanceKey} is already archived with different content; the archived copy was left unchanged.");
                        }

                        if (Matches(existing, ArchiveMetadata.SourceMac, SourceMac(context)) && await UploadStillInPlaceAsync(context, cancellationToken).ConfigureAwait(false))
                        {
                            // The archive blob was written from this very upload (same name, same ETag), which is still
                            // here: the ingest that wrote it stopped before deleting it. Finish it. Nothing of what that
                            // process wrote is known here, so the blob is decrypted and MACed end to end.
                            var indexSealed = existing.Metadata.ContainsKey(InstanceIndex.SealedMetadataName);
                            return await CompleteAsync(context, record, retention, minimization, resumed: true, indexSealed, ct => VerifyWholeAsync(archiveName, plainMac, plain.Length, ct), cancellationToken).ConfigureAwait(false);
                        }

                        await AuditAsync(context, AuditEventType.Import, AuditOutcome.Success, studyKey, patient, [ImportAuditDetails.Duplicate], cancellationToken).ConfigureAwait(false);
                        await _incoming.DeleteAsync(context.Request.Container, context.Request.BlobName, upload.ETag, cancellationToken).ConfigureAwait(false);
                        return new IngestResult(IngestOutcome.Duplicate, context.InstanceKey, "duplicate");
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
        }
    }

    /// <summary>
    /// Encrypts the plaintext in one streaming read and writes it create-only. The plaintext MAC (and, when nothing was
    /// removed, the upload MAC) is computed by the same read and stored with the commit. Returns null on 409/412.
    /// A single-region instance's ciphertext is kept as it is sent, so that it can be checked against the service's hash
    /// of the committed content and decrypted here (<see cref="CheckAgainstReceiptAsync"/>) instead of being read back.
    /// </summary>
    private async Task<WrittenArchive?> WriteArchiveAsync(Context context, Plaintext plain, string archiveName, SymmetricKeyEncryptionKey studyKek, Dictionary<string, string> tags, IReadOnlyDictionary<string, string>? sealedIndex, CancellationToken cancellationToken)
    {
        var source = await plain.OpenAsync(context.Upload, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            using var tap = new PlaintextTap(source, plain.Length, _encryption.RegionLength, context.Keys.Mac);
            var encrypted = await _encryptor.EncryptAsync(tap, studyKek, leaveOpen: true, plainLength: plain.Length, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (encrypted.ConfigureAwait(false))
            {
                var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (name, value) in encrypted.GetMetadata(archiveName))
                {
                    metadata[name] = value;
                }

                metadata[ArchiveMetadata.UploadLength] = context.Upload.Length.ToString(CultureInfo.InvariantCulture);
                metadata[ArchiveMetadata.SourceMac] = SourceMac(context);
                foreach (var (name, value) in sealedIndex ?? new Dictionary<string, string>())
                {
                    metadata[name] = value;
                }

                var capture = FitsOneRegion(plain.Length) ? new CapturingReadStream(encrypted, _encryption.RegionLength + CseFormat.RegionOverhead) : null;
                await using (capture)
                {
                    Dictionary<string, string>? trailing = null;
                    var created = await _archive.TryCreateStreamingAsync(archiveName, (Stream?)capture ?? encrypted, metadata, () => trailing = TrailingMetadata(context, plain, tap), tags, cancellationToken).ConfigureAwait(false);
                    if (tap.Completed && plain.Mac is null)
                    {
                        // Nothing removed: the plaintext is the upload, so the MAC of this read is also the upload MAC.
                        context.UploadMac = tap.Mac;
                    }

                    if (!created.Created)
                    {
                        return null;
                    }

                    var written = new WrittenArchive(plain.Length, tap.RegionLength, tap.RegionCount, tap.LastRegionStart, tap.Mac, tap.FirstRegionMac, tap.LastRegionMac, encrypted.EncryptionDataJson, context.UploadMac!);
                    if (capture is not null && created.ContentMd5 is not null && trailing is not null && capture.TryGetCaptured(out var sent))
                    {
                        foreach (var (name, value) in trailing)
                        {
                            metadata[name] = value;
                        }

                        written = written with { ReceiptCheck = await CheckAgainstReceiptAsync(archiveName, sent, created.ContentMd5, metadata, written, cancellationToken).ConfigureAwait(false) };
                    }

                    return written;
                }
            }
        }
    }

    /// <summary>
    /// Verifies a blob written in one request without reading it back: the service's MD5 of the committed content must
    /// equal the MD5 of the bytes sent (so what is stored is what was sent, with the metadata of that same request), and
    /// those bytes must decrypt under the study key, through the reader's own path, to the plaintext that was read
    /// (GCM tag, nonce layout, length, MAC). Returns <see cref="ReceiptCheck.Verified"/> or the problem found.
    /// </summary>
    private async Task<ReceiptCheck> CheckAgainstReceiptAsync(string archiveName, ArraySegment<byte> sent, string committedMd5, IReadOnlyDictionary<string, string> metadataSent, WrittenArchive written, CancellationToken cancellationToken)
    {
#pragma warning disable CA5351 // The storage service's own integrity checksum, compared for equality; not a security hash.
        var sentMd5 = Convert.ToBase64String(MD5.HashData(sent));
#pragma warning restore CA5351
        if (!string.Equals(sentMd5, committedMd5, StringComparison.Ordinal))
        {
            return new ReceiptCheck("committed content hash differs from the bytes sent");
        }

        if (sent.Count != CseFormat.CiphertextLength(written.PlainLength, written.RegionLength))
        {
            return new ReceiptCheck("committed length differs");
        }

        var cipher = new MemoryStream(sent.Array!, sent.Offset, sent.Count, writable: false);
        var problem = await DecryptsToAsync(decryptor => decryptor.OpenReadAsync(cipher, metadataSent, archiveName, sent.Count, cancellationToken: cancellationToken), written.PlainLength, written.PlainMac, cancellationToken).ConfigureAwait(false);
        return problem is null ? ReceiptCheck.Verified : new ReceiptCheck(problem);
    }

    private static Dictionary<string, string> TrailingMetadata(Context context, Plaintext plain, PlaintextTap tap)
    {
        if (!tap.Completed)
        {
            throw new InvalidOperationException("The archive metadata was asked for before the plaintext was read to its end.");
        }

        if (plain.Mac is not null && !string.Equals(plain.Mac, tap.Mac, StringComparison.Ordinal))
        {
            throw new IOException("The minimized rewrite changed between spooling and encryption.");
        }

        var uploadMac = context.UploadMac ?? tap.Mac;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ArchiveMetadata.UploadMac] = uploadMac,
            [ArchiveMetadata.PlainMac] = tap.Mac,
        };
    }

    private async Task<IngestResult> CompleteAsync(Context context, InstanceIndexRecord record, RetentionDecision retention, MinimizationReport minimization, bool resumed, bool indexSealed, Func<CancellationToken, Task<string?>> verify, CancellationToken cancellationToken)
    {
        var problem = await verify(cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            // The blob stays for investigation, but out of the index: nothing may select it for research.
            await _index.WithdrawAsync(record.StudyKey, record.InstanceKey, cancellationToken).ConfigureAwait(false);
            await AuditAsync(context, AuditEventType.SecurityAlert, AuditOutcome.MajorFailure, record.StudyKey, record.PatientPseudonym, ["verification-failed"], cancellationToken).ConfigureAwait(false);
            throw new IngestRejection(QuarantineReason.VerificationFailed, $"The archived copy of instance {context.InstanceKey} did not read back as valid ({problem}); it was left in place for investigation.");
        }

        var details = new List<string> { resumed ? ImportAuditDetails.Resumed : ImportAuditDetails.Archived, minimization.Changed ? "minimized" : "unchanged", "retention-rule=" + retention.DecidedBy.Rule.Id };
        details.AddRange((record.MetaRepairs ?? []).Select(ImportAuditDetails.MetaRepaired));
        await AuditAsync(context, AuditEventType.Import, AuditOutcome.Success, record.StudyKey, record.PatientPseudonym, details, cancellationToken, bytes: context.Upload.Length).ConfigureAwait(false);
        if (!indexSealed)
        {
            await _index.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        }

        await _incoming.DeleteAsync(context.Request.Container, context.Request.BlobName, context.Upload.ETag, cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Archived, context.InstanceKey, resumed ? "resumed" : null) { MetaRepairs = record.MetaRepairs ?? [] };
    }

    /// <summary>
    /// Verifies a blob this process has just committed without downloading it again (docs/ingest.md, "Verification"):
    /// every block was sent with a transactional MD5 the service checked, so what remains to prove is that the committed
    /// blob is the one written (length, <c>encryptiondata</c> with its unique wrapped key, MACs) and that it decrypts
    /// under the study key to the plaintext that was read: region 0 and the last region are fetched with the metadata
    /// (one ranged read each, one in all for a single-region instance), decrypted (GCM tags, nonces, region layout) and
    /// MACed against the MACs taken while encrypting.
    /// </summary>
    private async Task<string?> VerifyWrittenAsync(string archiveName, WrittenArchive written, CancellationToken cancellationToken)
    {
        if (written.ReceiptCheck is { } receipt)
        {
            // Checked against the service's hash of the committed content when it was written (one request, one region).
            return receipt.Problem;
        }

        var problem = await VerifyRegionAsync(archiveName, written, 0, written.FirstRegionMac, cancellationToken).ConfigureAwait(false);
        if (problem is null && written.RegionCount > 1)
        {
            problem = await VerifyRegionAsync(archiveName, written, written.RegionCount - 1, written.LastRegionMac, cancellationToken).ConfigureAwait(false);
        }

        return problem;
    }

    private async Task<string?> VerifyRegionAsync(string archiveName, WrittenArchive written, long region, string expectedMac, CancellationToken cancellationToken)
    {
        long cipherLength = CseFormat.CiphertextLength(written.PlainLength, written.RegionLength);
        long regionCipher = (long)written.RegionLength + CseFormat.RegionOverhead;
        long cipherStart = region * regionCipher;
        long cipherCount = Math.Min(regionCipher, cipherLength - cipherStart);
        var read = await _archive.OpenRangeAsync(archiveName, cipherStart, cipherCount, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return "blob missing after commit";
        }

        await using (read.ConfigureAwait(false))
        {
            var info = read.Info;
            if (info.Length != cipherLength)
            {
                return "committed length differs";
            }

            if (!Matches(info, CseFormat.EncryptionDataMetadataName, written.EncryptionDataJson))
            {
                return "encryption metadata differs";
            }

            if (!Matches(info, ArchiveMetadata.PlainMac, written.PlainMac) || !Matches(info, ArchiveMetadata.UploadMac, written.UploadMac))
            {
                return "content MAC metadata differs";
            }

            long plainStart = region * written.RegionLength;
            long plainCount = Math.Min(written.RegionLength, written.PlainLength - plainStart);
            return await DecryptsToAsync(
                decryptor => decryptor.OpenRangeAsync(
                    (offset, count, _) => offset == cipherStart && count == cipherCount
                        ? Task.FromResult(read.Content)
                        : throw new InvalidOperationException("Unexpected ciphertext range."),
                    info.Length,
                    info.Metadata,
                    archiveName,
                    plainStart,
                    plainCount,
                    cancellationToken),
                plainCount,
                expectedMac,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Decrypts a committed blob end to end and compares length and MAC with the expected plaintext (resumed ingests).</summary>
    private async Task<string?> VerifyWholeAsync(string archiveName, string plainMac, long plainLength, CancellationToken cancellationToken)
    {
        var info = await _archive.GetInfoAsync(archiveName, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return "blob missing after commit";
        }

        if (!Matches(info, ArchiveMetadata.PlainMac, plainMac))
        {
            return "content MAC metadata differs";
        }

        var cipher = await _archive.OpenReadAsync(archiveName, cancellationToken).ConfigureAwait(false);
        await using (cipher.ConfigureAwait(false))
        {
            return await DecryptsToAsync(decryptor => decryptor.OpenReadAsync(cipher, info.Metadata, archiveName, info.Length, leaveOpen: true, cancellationToken: cancellationToken), plainLength, plainMac, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Decrypts through the reader's own path and compares the plaintext's length and keyed MAC with what was read while
    /// encrypting. Returns the problem found, or null when they match; a decryption failure is a problem, not an error.
    /// </summary>
    private async Task<string?> DecryptsToAsync(Func<EnvelopeDecryptor, Task<DecryptingStream>> open, long expectedLength, string expectedMac, CancellationToken cancellationToken)
    {
        try
        {
            var decrypted = await open(new EnvelopeDecryptor(_keyring.StudyKeyResolver)).ConfigureAwait(false);
            await using (decrypted.ConfigureAwait(false))
            {
                var keys = await GetKeysAsync(cancellationToken).ConfigureAwait(false);
                var (mac, length) = await keys.Mac.ComputeAsync(decrypted, cancellationToken).ConfigureAwait(false);
                if (length != expectedLength)
                {
                    return "decrypted length differs";
                }

                return string.Equals(mac, expectedMac, StringComparison.Ordinal) ? null : "decrypted content differs";
            }
        }
        catch (EnvelopeDecryptionException ex)
        {
            return "decryption failed: " + ex.Reason;
        }
    }

    /// <summary>
    /// Whether the upload is still in <c>incoming</c> as the version read: if a concurrent delivery of the same event
    /// completed the ingest (and deleted it) while this one waited, there is nothing left to resume (rare path only).
    /// </summary>
    private async Task<bool> UploadStillInPlaceAsync(Context context, CancellationToken cancellationToken) =>
        string.Equals(
            await _incoming.GetETagAsync(context.Request.Container, context.Request.BlobName, cancellationToken).ConfigureAwait(false),
            context.Upload.ETag,
            StringComparison.Ordinal);

    /// <summary>Computes the upload MAC with one forward read of the upload, unless an earlier read already did.</summary>
    private static async Task EnsureUploadMacAsync(Context context, CancellationToken cancellationToken)
    {
        if (context.UploadMac is not null)
        {
            return;
        }

        var stream = await context.Upload.OpenSequentialAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var (mac, length) = await context.Keys.Mac.ComputeAsync(stream, cancellationToken).ConfigureAwait(false);
            if (length != context.Upload.Length)
            {
                throw new IOException("The upload's length changed while it was being read.");
            }

            context.UploadMac = mac;
        }
    }

    private async Task<IngestResult> QuarantineAsync(Context context, QuarantineReason reason, string message, CancellationToken cancellationToken)
    {
        var code = QuarantineReasonCodes.For(reason);
        if (reason is not (QuarantineReason.Empty or QuarantineReason.Oversized))
        {
            // The MAC identifies the content on the copy (ca_uploadmac); oversized uploads are not read twice for it.
            await EnsureUploadMacAsync(context, cancellationToken).ConfigureAwait(false);
        }

        context.Upload.Content.Position = 0;
        var placed = await _quarantine.PlaceAsync(
            new QuarantineRequest
            {
                Container = context.Request.Container,
                BlobName = context.Request.BlobName,
                ETag = context.Upload.ETag,
                Content = context.Upload.Content,
                Length = context.Upload.Length,
                Reason = reason,
                Message = message,
                CorrelationId = context.Request.CorrelationId,
                EventId = context.Request.EventId,
                UploadReference = context.Upload.UploadReference,
                StudyKey = context.StudyKey,
                PatientPseudonym = context.Patient,
                InstanceKey = context.InstanceKey,
                UploadMac = context.UploadMac,
            },
            cancellationToken).ConfigureAwait(false);
        await AuditAsync(context, AuditEventType.Import, AuditOutcome.MinorFailure, context.StudyKey, context.Patient, [ImportAuditDetails.Quarantined, ImportAuditDetails.ReasonPrefix + code, ImportAuditDetails.QuarantineIdPrefix + placed.Id], cancellationToken).ConfigureAwait(false);
        await _incoming.DeleteAsync(context.Request.Container, context.Request.BlobName, context.Upload.ETag, cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Quarantined, context.InstanceKey, QuarantineReasonCodes.ResultCode(reason)) { QuarantineId = placed.Id };
    }

    /// <summary>
    /// A new instance of a crypto-shredded study: the archive must not hold it in any form, so the upload is deleted,
    /// never copied. The deletion is audited (110105) and so is the import's outcome (110107, <c>discarded</c>).
    /// </summary>
    private async Task<IngestResult> DiscardShreddedAsync(Context context, CancellationToken cancellationToken)
    {
        var code = QuarantineReasonCodes.For(QuarantineReason.StudyShredded);
        var deletion = new AuditEvent
        {
            EventType = AuditEventType.StudyDeleted,
            Action = AuditAction.Delete,
            Outcome = AuditOutcome.Success,
            Actor = _actor,
            Study = OpaqueKeyOrNull(context.StudyKey),
            Instance = OpaqueKeyOrNull(context.InstanceKey),
            Bytes = context.Upload.Length,
            CorrelationId = AuditFieldRules.CorrelationId().IsMatch(context.Request.CorrelationId) ? context.Request.CorrelationId : null,
            Details = [ImportAuditDetails.Discarded, ImportAuditDetails.ReasonPrefix + code],
        };
        await _audit.AppendAsync(deletion, cancellationToken).ConfigureAwait(false);
        await AuditAsync(context, AuditEventType.Import, AuditOutcome.MinorFailure, context.StudyKey, null, [ImportAuditDetails.Discarded, ImportAuditDetails.ReasonPrefix + code], cancellationToken).ConfigureAwait(false);
        await _incoming.DeleteAsync(context.Request.Container, context.Request.BlobName, context.Upload.ETag, cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Discarded, context.InstanceKey, "discarded." + code);
    }

    private async Task AuditAsync(Context context, AuditEventType type, AuditOutcome outcome, string? studyKey, string? patient, IReadOnlyList<string> details, CancellationToken cancellationToken, long? bytes = null)
    {
        var auditEvent = new AuditEvent
        {
            EventType = type,
            Action = AuditAction.Create,
            Outcome = outcome,
            Actor = _actor,
            Study = OpaqueKeyOrNull(studyKey),
            Instance = OpaqueKeyOrNull(context.InstanceKey),
            Patient = OpaqueKeyOrNull(patient),
            Bytes = bytes ?? context.Upload.Length,
            CorrelationId = AuditFieldRules.CorrelationId().IsMatch(context.Request.CorrelationId) ? context.Request.CorrelationId : null,
            Details = type == AuditEventType.Import && context.Upload.UploadReference is { } reference ? [.. details, UploadReference.Detail(reference)] : details,
        };
        await _audit.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DicomFile> ReadDicomAsync(IncomingUpload upload, CancellationToken cancellationToken)
    {
        var hasPart10Header = await HasPart10HeaderAsync(upload.Content, cancellationToken).ConfigureAwait(false);
        upload.Content.Position = 0;
        var options = new DicomReaderOptions
        {
            MaxInflatedLength = _options.MaxInflatedBytes,
            MaxDeflateRatio = _options.MaxDeflateRatio,
            TempDirectory = _options.TempDirectory,
        };
        DicomFile file;
        try
        {
            file = await DicomFile.ReadAsync(upload.Content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomFormatException ex)
        {
            if (!hasPart10Header)
            {
                throw new IngestRejection(QuarantineReason.NotDicom, "The upload is not DICOM: no Part 10 header (128-byte preamble + \"DICM\") and no parseable dataset.");
            }

            var reason = ex.Reason.Contains("deflate bomb", StringComparison.OrdinalIgnoreCase) ? QuarantineReason.DeflateBomb : QuarantineReason.DicomFormat;
            var where = ex.Tag is { } tag
                ? string.Create(CultureInfo.InvariantCulture, $" at offset {ex.Offset} in {tag}")
                : string.Create(CultureInfo.InvariantCulture, $" at offset {ex.Offset}");
            throw new IngestRejection(reason, "DicomFormat: " + ex.Reason + where);
        }

        if (!file.HadFileMetaInformation || !hasPart10Header)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new IngestRejection(QuarantineReason.NotPart10, "The upload is a DICOM dataset without the Part 10 preamble and File Meta Information; only Part 10 files are accepted.");
        }

        if (file.TransferSyntaxWasGuessed)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new IngestRejection(QuarantineReason.MissingTransferSyntax, "The File Meta Information has no Transfer Syntax UID (0002,0010).");
        }

        return file;
    }

    private static async Task<bool> HasPart10HeaderAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content.Length < 132)
        {
            return false;
        }

        content.Position = 128;
        var magic = new byte[4];
        await content.ReadExactlyAsync(magic, cancellationToken).ConfigureAwait(false);
        return magic is [(byte)'D', (byte)'I', (byte)'C', (byte)'M'];
    }

    private static InstanceUids Validate(DicomFile file)
    {
        var dataset = file.Dataset;
        var sopClass = RequireUid(dataset, DicomTags.SOPClassUID, "SOPClassUID");
        var sopInstance = RequireUid(dataset, DicomTags.SOPInstanceUID, "SOPInstanceUID");
        var study = RequireUid(dataset, DicomTags.StudyInstanceUID, "StudyInstanceUID");
        var series = RequireUid(dataset, DicomTags.SeriesInstanceUID, "SeriesInstanceUID");

        return new InstanceUids(sopClass, sopInstance, study, series, MetaMismatches(file.FileMetaInformation, sopClass, sopInstance));
    }

    /// <summary>The policy checks on a readable instance, made once its keys are known (so its quarantine copy is attributed to its study).</summary>
    private void CheckPolicy(InstanceUids instance)
    {
        if (instance.MetaRepairs.Count > 0 && !_options.RepairFileMeta)
        {
            throw new IngestRejection(QuarantineReason.MetaMismatch, instance.MetaRepairs[0] == MetaRepairs.SopInstanceUid
                ? "MediaStorageSOPInstanceUID (0002,0003) differs from SOPInstanceUID (0008,0018)."
                : "MediaStorageSOPClassUID (0002,0002) differs from SOPClassUID (0008,0016).");
        }

        if (_allowedSopClasses is not null && !_allowedSopClasses.Contains(instance.SopClassUid))
        {
            throw new IngestRejection(QuarantineReason.SopClassNotAllowed, $"SOP class {instance.SopClassUid} is not in the allowed list (CloudArchive:Ingest:AllowedSopClasses).");
        }
    }

    /// <summary>
    /// Which File Meta UIDs disagree with the data set. The data set is what the instance is (PS3.10 7.1 derives the
    /// meta from it), so with repair on the meta is rebuilt from it. A missing meta UID, or one
    /// with a malformed UID is left as the ingest always treated it (not compared), so such files stay byte-identical.
    /// </summary>
    private static List<string> MetaMismatches(DicomDataset meta, string sopClass, string sopInstance)
    {
        var repairs = new List<string>();
        if (Disagrees(meta.GetString(DicomTags.MediaStorageSOPInstanceUID), sopInstance))
        {
            repairs.Add(MetaRepairs.SopInstanceUid);
        }

        if (Disagrees(meta.GetString(DicomTags.MediaStorageSOPClassUID), sopClass))
        {
            repairs.Add(MetaRepairs.SopClassUid);
        }

        return repairs;

        static bool Disagrees(string? metaValue, string datasetUid) =>
            DicomUid.TryNormalize(metaValue, out var uid, out _) && !string.Equals(uid, datasetUid, StringComparison.Ordinal);
    }

    private static string RequireUid(DicomDataset dataset, DicomTag tag, string keyword)
    {
        string? raw;
        try
        {
            raw = dataset.Contains(tag) ? dataset.GetString(tag) : null;
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomValueException)
        {
            throw new IngestRejection(QuarantineReason.InvalidUid, $"{keyword} {tag} cannot be decoded.");
        }

        if (raw is null || raw.TrimEnd('\0', ' ').Length == 0)
        {
            throw new IngestRejection(QuarantineReason.MissingAttribute, $"Required attribute {keyword} {tag} is missing or empty.");
        }

        if (!DicomUid.TryNormalize(raw, out var uid, out var problem))
        {
            throw new IngestRejection(QuarantineReason.InvalidUid, $"{keyword} {tag} is not a valid UID: it {problem}.");
        }

        return uid;
    }

    private async Task<Plaintext> OpenPlaintextAsync(Context context, DicomFile file, bool rewrite, CancellationToken cancellationToken)
    {
        var upload = context.Upload;
        if (!rewrite)
        {
            // Nothing removed: archive the upload's own bytes, so the plaintext is byte-identical to what was sent. They
            // are read once, forward, while being MACed and encrypted (WriteArchiveAsync).
            return new Plaintext(upload.Length, null, null);
        }

        var directory = _options.TempDirectory ?? Path.GetTempPath();
        var path = Path.Combine(directory, "cloudarchive-ingest-" + Guid.NewGuid().ToString("N") + ".tmp");
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CopyBufferSize, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using var hash = context.Keys.Mac.CreateIncremental();
            var macStream = new MacWriteStream(spool, hash);
            await using (macStream.ConfigureAwait(false))
            {
                await file.WriteAsync(macStream, cancellationToken: cancellationToken).ConfigureAwait(false);
                await macStream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return new Plaintext(spool.Length, Convert.ToHexStringLower(hash.GetHashAndReset()), spool);
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

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

    /// <summary>Whether a plaintext is one encryption region: written in one request and verified from its receipt.</summary>
    private bool FitsOneRegion(long plainLength) => plainLength <= _encryption.RegionLength;

    private static string SourceMac(Context context) =>
        context.Keys.Mac.ComputeText(context.Request.Container + "/" + context.Request.BlobName + "\n" + context.Upload.ETag);

    private static bool Matches(ArchiveBlobInfo info, string metadataName, string expected) =>
        info.Metadata.TryGetValue(metadataName, out var value) && string.Equals(value, expected, StringComparison.Ordinal);

    private static OpaqueKey? OpaqueKeyOrNull(string? value) => OpaqueKey.IsValid(value) ? new OpaqueKey(value!) : null;

    private static string? CleanCode(string? value)
    {
        var trimmed = value?.Trim('\0', ' ');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private sealed record InstanceUids(string SopClassUid, string SopInstanceUid, string StudyInstanceUid, string SeriesInstanceUid, IReadOnlyList<string> MetaRepairs);

    /// <summary>What is archived: the upload itself (no spool, MAC known after the write's read) or a spooled rewrite.</summary>
    private sealed class Plaintext(long length, string? mac, FileStream? spool) : IAsyncDisposable
    {
        public long Length { get; } = length;

        /// <summary>The MAC when known before the write (the rewrite); null when the plaintext is the upload.</summary>
        public string? Mac { get; } = mac;

        public async Task<Stream> OpenAsync(IncomingUpload upload, CancellationToken cancellationToken)
        {
            if (spool is null)
            {
                return await upload.OpenSequentialAsync(cancellationToken).ConfigureAwait(false);
            }

            spool.Position = 0;
            return new NonDisposingStream(spool);
        }

        public ValueTask DisposeAsync() => spool?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>What this process wrote and must find committed; <see cref="ReceiptCheck"/> is set when it was verified from the write's receipt.</summary>
    private sealed record WrittenArchive(long PlainLength, int RegionLength, long RegionCount, long LastRegionStart, string PlainMac, string FirstRegionMac, string LastRegionMac, string EncryptionDataJson, string UploadMac)
    {
        public ReceiptCheck? ReceiptCheck { get; init; }
    }

    /// <summary>The outcome of checking a write against its receipt: null <see cref="Problem"/> when verified.</summary>
    private sealed record ReceiptCheck(string? Problem)
    {
        public static ReceiptCheck Verified { get; } = new((string?)null);
    }

    private sealed class Context(IngestRequest request, IncomingUpload upload, IngestKeys keys)
    {
        public IngestRequest Request { get; } = request;

        public IncomingUpload Upload { get; } = upload;

        public IngestKeys Keys { get; } = keys;

        public string? UploadMac { get; set; }

        public string? InstanceKey { get; set; }

        public string? StudyKey { get; set; }

        public string? Patient { get; set; }
    }
}
